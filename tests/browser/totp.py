"""One-time codes as an authenticator app shows them, for staff who sign in with two factors."""

import base64
import hashlib
import hmac
import struct
import time

TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # what make_user gives staff


def totp_now(secret: str = TOTP_SECRET, *, valid_for: float = 0) -> str:
    """RFC 6238 code for the current 30-second window. With ``valid_for``, a window with less
    time left than that is waited out first, as a person does when the app's countdown is about
    to run out: a browser under load may take seconds from reading the code to sending it, and
    the server takes no code of a window that has passed."""
    left = 30 - time.time() % 30
    if left < valid_for:
        time.sleep(left + 0.05)
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"
