"""The lifecycle of a session, run with the Python client generated from docs/openapi.yaml.

.ci/clients.sh generates the client (openapi-python-client) as the package `fj_sourcing_client`
and runs this against a fj-sandbox it started: create a session, read it back, list its profiles,
reveal a candidate's email, and ask Filters Autocomplete, checking that each answer was parsed
into its model (a response the client could not parse would come back as `None` or as the error
model of another status).
Usage: python lifecycle.py <dir holding fj_sourcing_client> <base URL> <API key> <create body>
"""

import json
import sys

sys.path.insert(0, sys.argv[1])

from fj_sourcing_client import AuthenticatedClient  # noqa: E402
from fj_sourcing_client.api.filters import filters_autocomplete  # noqa: E402
from fj_sourcing_client.api.sourcing_session import (  # noqa: E402
    create_sourcing_session,
    get_profiles_for_session,
    get_session_details,
    reveal_contact,
)
from fj_sourcing_client.models import (  # noqa: E402
    CreateResponse,
    ProfilesResponse,
    RevealContactRevealType,
    RevealResponse,
    SessionDetailsResponse,
    SessionRequest,
)


def expect(answer, model):
    if not isinstance(answer, model):
        sys.exit(f"expected a {model.__name__}, the generated client returned {answer!r}")
    return answer


def main(base, key, body_path):
    with open(body_path, encoding="utf-8") as f:
        request = json.load(f)
    client = AuthenticatedClient(base_url=base, token=key, prefix="", auth_header_name="x-fj-api-key")

    created = expect(create_sourcing_session.sync(client=client, body=SessionRequest.from_dict(request)), CreateResponse)
    session = created.data.session
    assert created.status_code == 201 and session.session_title == request["sessionTitle"], created
    assert created.data.sourcing.credit_info.charged, created.data.sourcing
    print(f"created session {session.field_id} ({session.profile_matching_status}), "
          f"charged {created.data.sourcing.credit_info.amount}")

    details = expect(get_session_details.sync(session.field_id, client=client), SessionDetailsResponse)
    assert details.data.session.field_id == session.field_id, details
    assert details.data.session.queries.to_dict() == request["queries"], details.data.session.queries
    print(f"read it back: {details.data.session.session_title!r}, {details.data.session.profile_matching_status}")

    page = expect(get_profiles_for_session.sync(session.field_id, client=client, limit=2), ProfilesResponse)
    assert page.data.docs and page.data.limit == 2, page.data
    first = page.data.docs[0]
    print(f"listed {len(page.data.docs)} of {page.data.total_docs} profiles; first {first.profile.name!r}")

    revealed = expect(
        reveal_contact.sync(
            client=client,
            sourcing_session_id=session.field_id,
            linkedin_profile_url=first.profile.linkedin_profile_url,
            reveal_type=RevealContactRevealType.EMAIL,
        ),
        RevealResponse,
    )
    email = next(contact for contact in revealed.data if contact.type_ == "EMAIL")
    assert email.status == "FOUND" and email.values, revealed.data
    print(f"revealed {first.profile.linkedin_profile_url}: {email.values[0]}")

    suggestions = filters_autocomplete.sync(client=client, filter_type="region", query="Pune")
    assert isinstance(suggestions, list) and all(isinstance(s, str) for s in suggestions), suggestions
    print(f"autocomplete region 'Pune': {suggestions[:2]}")


if __name__ == "__main__":
    main(*sys.argv[2:5])
