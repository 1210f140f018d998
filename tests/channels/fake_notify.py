"""A small fake of GOV.UK Notify's API, in a thread, for tests: never the real Notify (no internet here).

It answers as Notify documents: it checks ``Authorization: Bearer <jwt>`` (HS256, ``iss`` the service
ID, ``iat`` within 30 seconds) against the one key it knows and answers 403 with Notify's error body when
it is wrong; 400 for a template it does not have; 429 or 500 once when told to; it keeps what it received;
and ``GET /v2/notifications/{id}`` answers the status a test set.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt

SERVICE_ID = "2f4e6a8c-1b3d-4f5a-9c7e-0a1b2c3d4e5f"
SECRET = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
API_KEY = f"withus_test-{SERVICE_ID}-{SECRET}"
WRONG_KEY = f"withus_test-{SERVICE_ID}-00000000-0000-4000-8000-000000000000"
TEXT_TEMPLATE = "5b0b2f36-7c4a-4b8e-9a61-3f2d1c0b9a87"
EMAIL_TEMPLATE = "8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968"


def error_body(status: int, error: str, message: str) -> dict[str, Any]:
    return {"status_code": status, "errors": [{"error": error, "message": message}]}


class FakeNotify:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []  # each: {"type": "sms"|"email"|"letter", "id": ..., **body}
        self.statuses: dict[str, str] = {}
        self.fail_next: list[int] = []  # status codes to answer with next, in turn
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeNotify:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return [n for n in self.received if n["type"] == kind]

    # ---- what Notify does ----------------------------------------------------------------------------

    def authorised(self, header: str) -> tuple[int, dict[str, Any]] | None:
        """None when the bearer token is good; otherwise Notify's 403 and its body."""
        if not header.startswith("Bearer "):
            return 401, error_body(401, "AuthError", "Unauthorized: authentication token must be provided")
        token = header[7:]
        try:
            claims = jwt.decode(token, key=SECRET, algorithms=["HS256"], options={"verify_iat": False})
        except jwt.InvalidTokenError:
            return 403, error_body(403, "AuthError", "Invalid token: API key not found")
        if claims.get("iss") != SERVICE_ID:
            return 403, error_body(403, "AuthError", "Invalid token: service not found")
        if abs(time.time() - int(claims.get("iat", 0))) > 30:
            return 403, error_body(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
        return None

    def answer(self, method: str, path: str, header: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        refused = self.authorised(header)
        if refused:
            return refused
        with self.lock:
            failing = self.fail_next.pop(0) if self.fail_next else None
        if failing == 429:
            return 429, error_body(
                429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"
            )
        if failing:
            return failing, error_body(failing, "Exception", "Internal server error")
        if method == "POST" and path in ("/v2/notifications/sms", "/v2/notifications/email"):
            wanted = TEXT_TEMPLATE if path.endswith("sms") else EMAIL_TEMPLATE
            if body.get("template_id") != wanted:
                return 400, error_body(400, "BadRequestError", "Template not found")
            kind = "sms" if path.endswith("sms") else "email"
            return 201, self._keep(kind, body)
        if method == "POST" and path == "/v2/notifications/letter":
            if not body.get("reference") or not body.get("content"):
                return 400, error_body(400, "ValidationError", "reference is a required property")
            return 201, self._keep("letter", body)
        if method == "GET" and path.startswith("/v2/notifications/"):
            notification_id = path.rsplit("/", 1)[-1]
            with self.lock:
                status = self.statuses.get(notification_id)
            if status is None:
                return 404, error_body(404, "NoResultFound", "No result found")
            return 200, {"id": notification_id, "status": status}
        if method == "GET" and path.startswith("/v2/template/"):
            template_id = path.rsplit("/", 1)[-1]
            kinds = {TEXT_TEMPLATE: "sms", EMAIL_TEMPLATE: "email"}
            if template_id not in kinds:
                return 404, error_body(404, "NoResultFound", "No result found")
            return 200, {"id": template_id, "type": kinds[template_id], "body": "((body))"}
        return 404, error_body(404, "NotFound", "Not found")

    def _keep(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        notification_id = str(uuid.uuid4())
        with self.lock:
            self.received.append({"type": kind, "id": notification_id, **body})
            self.statuses[notification_id] = "created"
        answer: dict[str, Any] = {"id": notification_id, "reference": body.get("reference")}
        if kind == "letter":
            answer["postage"] = "second"
        else:
            answer["content"] = {"body": (body.get("personalisation") or {}).get("body", "")}
            answer["template"] = {"id": body.get("template_id"), "version": 1, "uri": ""}
        return answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {}
                status, answer = fake.answer(
                    method, self.path.split("?", 1)[0], self.headers.get("Authorization", ""), body
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def log_message(self, format: str, *args: Any) -> None:
                """Nothing: http.server would print a line per request into the test output."""

        return Handler
