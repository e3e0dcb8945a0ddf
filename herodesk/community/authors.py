"""Who is writing on the community site: a community account, or a staff
member acting under their staff identity (shown as "Team")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from herodesk.community.models import Account
from herodesk.teams import access


@dataclass(frozen=True)
class Author:
    account: Account | None = None
    user: Any = None  # a staff user (an agent of the desk)

    @classmethod
    def of(cls, account: Account | None = None, user: Any = None) -> Author | None:
        """The author for a request's identities; staff win; None when anonymous."""
        if user is not None and access.is_agent(user):
            return cls(user=user)
        if account is not None and account.is_active:
            return cls(account=account)
        return None

    @property
    def is_team(self) -> bool:
        return self.user is not None

    @property
    def is_moderator(self) -> bool:
        """Staff moderate; so do community accounts with the moderator role."""
        return self.is_team or (self.account is not None and self.account.is_moderator)

    @property
    def name(self) -> str:
        if self.user is not None:
            return str(self.user.get_full_name() or self.user.get_username())
        return self.account.name if self.account is not None else "someone"

    @property
    def email(self) -> str:
        if self.user is not None:
            return str(self.user.email or "")
        return self.account.email if self.account is not None else ""

    @property
    def actor(self) -> Any:
        """What the audit log records: the staff user, or "community:<email>"."""
        if self.user is not None:
            return self.user
        return f"community:{self.account.email}" if self.account is not None else "community"
