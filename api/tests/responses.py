"""What every refusal of the API looks like, asserted in one place."""

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    """Assert `response` is an RFC 9457 problem with `status`; return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()
