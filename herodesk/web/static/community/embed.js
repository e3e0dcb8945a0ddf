/* HeroDesk community questions for the end of a docs page.
 *
 *   <script src="https://DESK/community/embed.js" data-page="/docs/feature-flags" async></script>
 *
 * Renders the page's questions and an ask form inside a shadow root (the host
 * page's styles do not reach in, ours do not leak out), right after the script
 * tag or inside the element named by data-target="#id". Talks to
 * DESK/community/api/ (CORS: the desk must list this site's origin in
 * HERODESK_COMMUNITY_ORIGINS). Sign-in keeps a community token in this
 * site's localStorage. User text is only ever set as textContent.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var api = new URL("api/", script.src).href;
  var cssUrl = new URL("embed.css", script.src).href;
  var page = script.getAttribute("data-page") || window.location.pathname;
  var topic = script.getAttribute("data-topic") || "";
  var storeKey = "herodesk-community-token:" + new URL(script.src).origin;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }
  function token() { try { return window.localStorage.getItem(storeKey) || ""; } catch (e) { return ""; } }
  function setToken(value) {
    try { if (value) { window.localStorage.setItem(storeKey, value); } else { window.localStorage.removeItem(storeKey); } } catch (e) { /* private mode */ }
  }
  function call(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (body) { headers["Content-Type"] = "application/json"; }
    if (token()) { headers["Authorization"] = "Bearer " + token(); }
    return fetch(api + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: "omit", mode: "cors" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            if (response.status === 401 && token()) { setToken(""); }
            var error = new Error(data.detail || ("The desk answered HTTP " + response.status));
            error.status = response.status;
            throw error;
          }
          return data;
        });
      });
  }

  var host = el("div", { "class": "herodesk-community", "data-page": page });
  var target = script.getAttribute("data-target");
  var mount = target ? document.querySelector(target) : null;
  if (mount) { mount.appendChild(host); } else { script.parentNode.insertBefore(host, script.nextSibling); }
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.appendChild(el("link", { rel: "stylesheet", href: cssUrl }));
  var box = el("section", { "class": "hd", "aria-label": "Questions about this page" });
  root.appendChild(box);
  var heading = el("h2", { text: "Questions about this page" });
  var list = el("div", { "class": "list", "aria-live": "polite" });
  var status = el("p", { "class": "status", role: "status" });
  var formArea = el("div", { "class": "forms" });
  box.appendChild(heading); box.appendChild(list); box.appendChild(status); box.appendChild(formArea);

  function say(text, kind) { status.textContent = text || ""; status.className = "status " + (kind || ""); }

  function renderList(items) {
    list.textContent = "";
    if (!items.length) {
      list.appendChild(el("p", { "class": "empty", text: "No questions about this page yet. Ask the first one below." }));
      return;
    }
    var ol = el("ol", { "class": "questions" });
    items.forEach(function (q) {
      var answers = q.answers + (q.answers === 1 ? " answer" : " answers");
      ol.appendChild(el("li", {}, [
        el("a", { href: q.url, target: "_blank", rel: "noopener", text: q.title }),
        el("span", { "class": "meta" }, [
          el("span", { "class": "state " + q.state, text: q.state }),
          document.createTextNode(" " + answers)
        ])
      ]));
    });
    list.appendChild(ol);
  }
  function load() {
    return call("GET", "questions?page=" + encodeURIComponent(page)).then(renderList, function (err) {
      list.textContent = "";
      list.appendChild(el("p", { "class": "error", text: "Could not load the questions: " + err.message }));
    });
  }

  function field(label, name, type, extra) {
    var id = "hd-" + name;
    var input = el(type === "textarea" ? "textarea" : "input", Object.assign({ id: id, name: name }, type === "textarea" ? { rows: "5" } : { type: type }, extra || {}));
    return [el("label", { "for": id, text: label }), input];
  }
  function honeypot() {
    return el("div", { "class": "hp", "aria-hidden": "true" }, [
      el("label", { "for": "hd-website", text: "Leave this empty" }),
      el("input", { id: "hd-website", name: "website", type: "text", tabindex: "-1", autocomplete: "off" })
    ]);
  }
  function form(title, fields, submitLabel, onSubmit, extra) {
    var f = el("form", { "class": "form", novalidate: "" }, [el("h3", { text: title })]);
    fields.forEach(function (pair) { pair.forEach(function (n) { f.appendChild(n); }); });
    f.appendChild(honeypot());
    f.appendChild(el("button", { type: "submit", text: submitLabel }));
    (extra || []).forEach(function (n) { f.appendChild(n); });
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = {};
      Array.prototype.forEach.call(f.elements, function (e) { if (e.name) { data[e.name] = e.value; } });
      var button = f.querySelector("button[type=submit]");
      button.disabled = true; say("Sending…");
      onSubmit(data).catch(function (err) { say(err.message, "error"); })
        .then(function () { button.disabled = false; });
    });
    return f;
  }
  function linkButton(text, onClick) {
    var b = el("button", { type: "button", "class": "link", text: text });
    b.addEventListener("click", onClick);
    return b;
  }

  function showLogin() {
    formArea.textContent = "";
    formArea.appendChild(form("Log in to ask", [field("Email", "email", "email", { autocomplete: "email" }), field("Password", "password", "password", { autocomplete: "current-password" })], "Log in", function (d) {
      return call("POST", "tokens", { email: d.email, password: d.password }).then(function (r) { setToken(r.token); say(""); showAsk(r.account); });
    }, [el("p", { "class": "alt" }, [document.createTextNode("No account yet? "), linkButton("Sign up", showSignup)])]));
  }
  function showSignup() {
    formArea.textContent = "";
    formArea.appendChild(form("Sign up to ask", [field("Name", "name", "text", { autocomplete: "name" }), field("Email", "email", "email", { autocomplete: "email" }), field("Password (8+ characters)", "password", "password", { autocomplete: "new-password" })], "Sign up", function (d) {
      return call("POST", "accounts", { name: d.name, email: d.email, password: d.password, website: d.website })
        .then(function (acc) { return call("POST", "tokens", { email: d.email, password: d.password }).then(function (r) { setToken(r.token); say(acc.detail, "ok"); showAsk(r.account); }); });
    }, [el("p", { "class": "alt" }, [document.createTextNode("Have an account? "), linkButton("Log in", showLogin)])]));
  }
  function showAsk(account) {
    formArea.textContent = "";
    var who = el("p", { "class": "alt" }, [document.createTextNode("Asking as " + account.name + (account.verified ? "" : " (confirm your email to go public)") + ". "),
      linkButton("Log out", function () { setToken(""); say(""); showLogin(); })]);
    formArea.appendChild(form("Ask a question about this page", [field("Title", "title", "text", { maxlength: "200" }), field("Details (Markdown)", "body", "textarea")], "Post the question", function (d) {
      return call("POST", "questions", { page: page, title: d.title, body: d.body, topic: topic || null, website: d.website }).then(function (q) {
        formArea.querySelector("form").reset();
        var text = q.held ? "Received. It goes public once " + (q.held === "unverified" ? "you confirm your email address." : "a moderator has looked at it.") : "Posted.";
        say(""); status.appendChild(el("span", { text: text + " " })); status.appendChild(el("a", { href: q.url, target: "_blank", rel: "noopener", text: "Open your question" }));
        status.className = "status ok";
        return load();
      });
    }, [who]));
  }

  load();
  if (token()) { call("GET", "me").then(showAsk, function () { showLogin(); }); } else { showLogin(); }
})();
