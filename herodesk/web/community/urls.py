from django.urls import path

from herodesk.web.community import accounts, moderation, pages

app_name = "community"

urlpatterns = [
    path("", pages.home, name="home"),
    path("embed.js", pages.embed_asset, {"name": "embed.js"}, name="embed_js"),
    path("embed.css", pages.embed_asset, {"name": "embed.css"}, name="embed_css"),
    path("t/<slug:slug>/", pages.topic, name="topic"),
    path("p/<path:path>", pages.docs_page, name="page"),
    path("ask/", pages.ask, name="ask"),
    path("q/<int:pk>/", pages.question, name="question"),
    path("q/<int:pk>/edit/", moderation.question_edit, name="question_edit"),
    path("q/<int:pk>/act/", moderation.question_act, name="question_act"),
    path("a/<int:pk>/edit/", moderation.answer_edit, name="answer_edit"),
    path("a/<int:pk>/act/", moderation.answer_act, name="answer_act"),
    path("moderation/", moderation.queue, name="moderation"),
    path("q/<int:pk>/unsubscribe/<str:token>/", accounts.unsubscribe, name="unsubscribe"),
    path("signup/", accounts.signup, name="signup"),
    path("login/", accounts.login, name="login"),
    path("logout/", accounts.logout, name="logout"),
    path("verify/again/", accounts.verify_again, name="verify_again"),
    path("verify/<str:uidb64>/<str:token>/", accounts.verify, name="verify"),
    path("reset/", accounts.reset, name="reset"),
    path("reset/<str:uidb64>/<str:token>/", accounts.reset_confirm, name="reset_confirm"),
]
