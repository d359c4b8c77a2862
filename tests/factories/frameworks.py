"""Response frameworks stored in one organisation."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from goodwill.frameworks import service
from goodwill.frameworks.schemas import FrameworkSave
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext

# passes the coach's review: personal, a slot for the answer, recognition only where it fits
GOOD_BODY = """\
Hi {{customer_first_name}},

{% if phase == long_term %}You have been with us for {{tenure}}, and that matters to us.
{% endif %}{% if promise_broken %}We promised you something and did not keep it; I am sorry.
{% endif %}[[answer: what you found and what you will do, by when]]

{{operator_name}}"""

# the seed's FinTech reply, as a macro: template noise, boilerplate, patronising, generic closing
BAD_BODY = """\
Dear customer,

Please type your reply above this line. XXX is a financial institution, not a bank, \
authorised by the FCA. Learn how to download statements in our help centre.

Let us know if you have any other questions. We're happy to help."""


def save_of(
    name: str = "Answer a complaint", body: str = GOOD_BODY, **purpose: Any
) -> FrameworkSave:
    return FrameworkSave.model_validate({"name": name, "body": body, **purpose})


def make_framework(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    name: str = "Answer a complaint",
    body: str = GOOD_BODY,
    publish: bool = True,
    **purpose: Any,
) -> uuid.UUID:
    """A framework saved by nobody in particular (as the CLI does), published if asked."""
    with org_session(factory, org) as db:
        framework = service.create(db=db, save=save_of(name, body, **purpose), member=None)
        if publish:
            service.publish(db=db, framework=framework, member=None, override_reason=None)
        return framework.id


def framework_records(factory: sessionmaker[Session], org: OrgContext) -> dict[str, uuid.UUID]:
    """A published framework (for the cross-tenant tests)."""
    return {"framework": make_framework(factory, org, intents=["complaint"])}
