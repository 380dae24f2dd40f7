#!/usr/bin/env python3
"""Cross-checks cloudspec's request signing against the official Python SDK code.

For each check it generates --count random signing inputs from a fixed --seed, computes the official
result by calling the official packages (installed by setup.sh, pinned in requirements.txt), signs the
same inputs with cloudspec through the `cloudspec-sign-oracle` binary, and compares field by field.

Checks (the official code called):

  tc3         Tencent Cloud TC3-HMAC-SHA256, the request the Python SDK builds: a CommonClient (the
              SDK's generic client) builds and signs a POST JSON (some GET) request through
              AbstractClient._build_req_inter -> _build_req_with_tc3_signature -> _get_tc3_signature ->
              Sign.sign_tc3, with time.time patched to the random timestamp. The SDK signs only
              `content-type;host` (with `Content-Type: application/json` and `json.dumps` bodies), so
              cloudspec signs the same request with `action: None`. Compared: the Authorization header
              the SDK set, the signature, and the canonical request and string to sign the SDK hashed and
              signed (recorded by wrapping the `hashlib` and `Sign` names abstract_client uses).
  tc3-action  The `content-type;host;x-tc-action` variant cloudspec's runtime sends (content type
              `application/json; charset=utf-8`, compact UTF-8 JSON body, action lower-cased). The SDK has
              no code that builds this canonical request, so it is built here as Tencent's documentation
              and signature demo do (tc3_action_canonical_request); the key derivation and HMAC are the
              SDK's Sign.sign_tc3. Compared: canonical request, string to sign, signature, Authorization.
  acs3        Alibaba Cloud ACS3-HMAC-SHA256: alibabacloud_openapi_util.client.Client.get_authorization
              with a Tea TeaRequest (method, pathname = Client.get_encode_path(path), query, headers).
              Compared: Authorization, signature, canonical URI, and the canonical query, canonical
              headers and signed headers from the util's own get_canonical_query_string and
              get_canonicalized_headers, and the canonical request and string to sign get_authorization
              hashed and signed (recorded by wrapping the `hashlib` and `hmac` names of its module).
              The util signs every header it is handed, cloudspec only host, content-type and x-acs-*
              (as Alibaba's documentation and the Go util do): the util gets that subset, cloudspec gets
              it mixed with unsigned headers (accept, user-agent, ...) it must leave out.
  rpc         Alibaba Cloud RPC signature 1.0 (HMAC-SHA1): Client.get_rpcsignature(params, method,
              secret) on GET and POST. Compared: the signature and the string to sign it signed.

  roa         Whole Alibaba ROA requests built by the official request building: the parameters are placed
              as the generated product SDKs place them (path values through darabonba's
              Url.percent_encode, `json` and `simple` values through Utils.array_to_string_with_specified_style,
              the query through Utils.query, the body param as OpenApiRequest.body), then
              alibabacloud_tea_openapi's Client.call_api -> do_request (signature V3, ACS3-HMAC-SHA256) builds
              the request, with Utils.get_timestamp and Utils.get_nonce patched to fixed values and
              DaraCore.do_action patched to capture the request instead of sending it. cloudspec builds
              the same request with its runtime (client::wire::AlibabaRequest::new, sign_alibaba).
              Random paths with 0-3 `{param}` segments (unicode, spaces, `/`, `?`, `%`, reserved
              characters) and fixed `?type=...` queries, query parameters in every style with nested lists
              and objects, JSON bodies (objects, arrays, strings, empty, up to 300 KB), form bodies, header
              parameters, session tokens. Compared: method, path (the canonical URI), query, body bytes,
              content type, the signed headers (host, content-type, x-acs-*) and the Authorization the
              official Utils.get_authorization computes over that request and those headers.
  rpc-request The same for RPC requests (style RPC, path /): query and formData parameters in every style
              (repeatList, flat, json, simple, none), lists of objects, objects of lists, nulls, numbers,
              unicode.

The official do_request signs every header it sends (accept, user-agent, x-acs-credentials-provider
too); cloudspec signs host, content-type and x-acs-* (the SDK's own telemetry header
x-acs-credentials-provider is not sent), so the Authorization compared is the official one over that
subset. Two deliberate differences are normalised and reported, not counted: booleans, which Python's
str() writes `True` / `False` in queries, forms, headers and paths (cloudspec writes `true` / `false`, as
the Java and Go SDKs and JSON do: `True` values are lower-cased before the official code sees them); and
fixed queries after `?` in a path template, which the generic do_request leaves in the canonical URI
while the only SDKs with such paths (OSS-gateway products: alibabacloud_gateway_oss modify_request) move
them into the query: the script applies that split, as cloudspec does.

Nested parameters are flattened by the util's own Client.query (`Tag.1.Key`), as Alibaba's SDKs do.

Parameter names of acs3 requests are drawn from RFC 3986's unreserved characters (every Alibaba
parameter name is): the util leaves names unencoded in the ACS3 canonical query, while cloudspec encodes
them as the signature V3 documentation says. A small probe of other names shows that divergence; it is
reported and not counted.

Prints one summary line per check ("tc3: 1000 compared, 0 mismatches") and, for mismatches, the first
few inputs with both outputs. Exits 1 on any mismatch, 2 when it cannot run.
"""

import argparse
import hashlib
import hmac
import json
import math
import os
import random
import re
import string
import struct
import subprocess
import sys
import time
from datetime import datetime, timezone
from unittest import mock

try:
    import types

    import alibabacloud_openapi_util.client as ali_module
    from alibabacloud_tea_openapi import utils_models as openapi_models
    from alibabacloud_tea_openapi.client import Client as OpenApiClient
    from alibabacloud_tea_openapi.utils import Utils as OpenApiUtils
    from darabonba.core import DaraCore
    from darabonba.runtime import RuntimeOptions
    from darabonba.url import Url as DaraURL
    from alibabacloud_openapi_util.client import Client as AliUtil
    from Tea.request import TeaRequest
    from tencentcloud.common import abstract_client
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.http.request import RequestInternal
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.common.sign import Sign
except ImportError as error:
    sys.stderr.write(
        f"signature_crosscheck.py: the official packages are missing ({error}).\n"
        "Run `bash tests/interop/setup.sh` and use tests/interop/.venv/bin/python.\n"
    )
    sys.exit(2)

DEFAULT_SEED = 20240917
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# ---------------------------------------------------------------------------------------------------
# Random values
# ---------------------------------------------------------------------------------------------------

SPECIAL = "&=+%/ ~*'\"!<>?#,;:@[]{}|\\^`$()"
UNRESERVED = string.ascii_letters + string.digits + "-_.~"
TOKEN = string.ascii_letters + string.digits + "-_.!#$&'*+^`|~"
# Characters by kind; no surrogates (neither Rust strings nor UTF-8 carry them).
def _pools():
    def spans(*ranges):
        return [chr(c) for low, high in ranges for c in range(low, high + 1)]

    astral = random.Random(0)
    return {
        "ascii": list(string.ascii_letters + string.digits),
        "special": list(SPECIAL),
        "space": list(" \t\n\r"),
        "control": spans((0x00, 0x1F), (0x7F, 0x7F)),
        "cjk": spans((0x4E00, 0x9FFF), (0x3040, 0x30FF), (0xAC00, 0xD7A3)),
        # Emoji, with variation selectors, a flag and a ZWJ family.
        "emoji": spans((0x1F300, 0x1F64F), (0x1F680, 0x1F6FF), (0x1F900, 0x1F9FF), (0x2600, 0x27BF))
        + ["\u200d", "\ufe0f", "\U0001F1E8\U0001F1F3", "\U0001F468\u200d\U0001F469\u200d\U0001F467"] * 50,
        "latin": spans((0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF)),
        # Combining marks, Hebrew, Arabic, zero-width and bidi marks, BOM, U+FFFD, line separators,
        # ideographic space, and code points of every plane.
        "other": spans((0x300, 0x36F), (0x5D0, 0x5EA), (0x620, 0x64A), (0x200B, 0x200F), (0x2028, 0x2029))
        + ["\ufeff", "\ufffd", "\u3000"] + [chr(astral.randint(0x10000, 0x10FFFF)) for _ in range(2000)],
    }


POOLS = _pools()
KINDS = ["ascii", "special", "space", "cjk", "emoji", "latin", "other", "control"]
WEIGHTS = [40, 20, 6, 10, 8, 8, 6, 2]


def mixed(rng, length, controls):
    """`length` pieces in runs of one kind each. `controls` allows C0 controls and DEL."""
    pieces = []
    weights = WEIGHTS if controls else WEIGHTS[:-1] + [0]
    longest = max(12, length // 40)
    while len(pieces) < length:
        kind = rng.choices(KINDS, weights)[0]
        pieces += rng.choices(POOLS[kind], k=min(rng.randint(1, longest), length - len(pieces)))
    return "".join(pieces)


def text(rng, controls=True, max_len=40):
    """Random text: empty, special-character runs, unicode, newlines, emoji, CJK, or several KB long."""
    roll = rng.random()
    if roll < 0.07:
        return ""
    if roll < 0.10:
        return "&=+%/ ~*'\"!<>?#"
    if roll < 0.15:
        return mixed(rng, rng.randint(2000, 8000), controls)
    if roll < 0.25:
        return "".join(rng.choices(string.ascii_letters + string.digits + "-_", k=rng.randint(1, 30)))
    return mixed(rng, rng.randint(1, max_len), controls)


def word(rng, alphabet=string.ascii_lowercase, low=2, high=12):
    return "".join(rng.choices(alphabet, k=rng.randint(low, high)))


def camel(rng):
    return "".join(word(rng).capitalize() for _ in range(rng.randint(1, 4)))


def timestamp(rng):
    """Seconds since the epoch: day and year boundaries, 2038, far future, or anywhere up to 2106."""
    edges = [0, 1, 86399, 86400, 951782399, 951782400, 951868800, 1551113065, 1709164800,
             2147483647, 2147483648, 4102444799, 4102444800, 253402300799]
    if rng.random() < 0.1:
        return rng.choice(edges)
    return rng.randint(0, 2**32 - 1)


def iso8601(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def version(rng):
    return f"{rng.randint(2010, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def nonce(rng):
    if rng.random() < 0.5:
        return "%032x" % rng.getrandbits(128)
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def secret(rng, allow_space=True):
    """A credential: realistic, or random unicode; never empty or space-padded (the SDKs refuse those)."""
    if rng.random() < 0.6:
        return word(rng, string.ascii_letters + string.digits, 16, 40)
    value = text(rng, controls=False)
    if not allow_space:
        value = value.strip()
    return value or "k"


def json_value(rng, depth=0):
    """A random JSON value, nested up to four levels."""
    roll = rng.random()
    if depth < 4 and roll < 0.2:
        return {text(rng, max_len=12) if rng.random() < 0.3 else camel(rng): json_value(rng, depth + 1)
                for _ in range(rng.randint(0, 5))}
    if depth < 4 and roll < 0.35:
        return [json_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    if roll < 0.75:
        return text(rng)
    if roll < 0.87:
        return rng.choice([0, -1, 1, 2**53, -(2**63), 2**64, rng.randint(-10**6, 10**6)])
    if roll < 0.93:
        return rng.choice([0.5, -1e-7, 1e300, rng.random() * 1000])
    return rng.choice([True, False, None])


def json_object(rng):
    return {camel(rng): json_value(rng, 1) for _ in range(rng.randint(0, 8))}


def flat_params(rng):
    """Nested list/object parameters flattened by the official Client.query (`Tag.1.Key=...`)."""
    nested = {}
    for _ in range(rng.randint(0, 2)):
        nested[camel(rng)] = [{camel(rng): text(rng) for _ in range(rng.randint(1, 3))}
                              for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        nested[camel(rng)] = [text(rng) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.3:
        nested[camel(rng)] = {camel(rng): rng.randint(0, 1000) for _ in range(rng.randint(1, 3))}
    return AliUtil.query(nested)


def case_variant(rng, name):
    """`name` with its letters' case changed at random, different from `name` when it has letters."""
    for _ in range(20):
        variant = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in name)
        if variant != name or not any(c.isalpha() for c in name):
            return variant
    return name.swapcase()


def host(rng, service):
    region = rng.choice(["ap-guangzhou", "ap-shanghai", "cn-hangzhou", "eu-frankfurt", "na-ashburn"])
    return rng.choice([
        f"{service}.tencentcloudapi.com",
        f"{service}.{region}.tencentcloudapi.com",
        f"{service}.intl.tencentcloudapi.com",
        f"{service}.{region}.aliyuncs.com",
        f"{word(rng)}.{word(rng)}.example",
        f"{word(rng)}.{word(rng)}.example:{rng.randint(1, 65535)}",
        f"{word(rng, string.ascii_lowercase + string.digits + '-')}.{word(rng)}",
    ])


# ---------------------------------------------------------------------------------------------------
# Spies: record what the official code hashes and signs, without changing what it does
# ---------------------------------------------------------------------------------------------------


class HashlibSpy:
    """Stands in for a module's `hashlib`: records every sha256 input."""

    def __init__(self):
        self.sha256_inputs = []

    def sha256(self, data=b""):
        self.sha256_inputs.append(data)
        return hashlib.sha256(data)

    def __getattr__(self, name):
        return getattr(hashlib, name)


class HmacSpy:
    """Stands in for a module's `hmac`: records every message."""

    def __init__(self):
        self.messages = []

    def new(self, key, msg=None, digestmod=""):
        self.messages.append(msg)
        return hmac.new(key, msg, digestmod)

    def __getattr__(self, name):
        return getattr(hmac, name)


def decode(data):
    return data.decode("utf-8") if isinstance(data, bytes) else data


# ---------------------------------------------------------------------------------------------------
# Tencent Cloud TC3
# ---------------------------------------------------------------------------------------------------


def tc3_sdk_case(rng, index):
    """A request built and signed by the Tencent SDK; returns (oracle input, official result)."""
    service = rng.choice(["cvm", "apigateway", "teo", "cbs", "vpc"]) if rng.random() < 0.6 else \
        word(rng, string.ascii_lowercase + string.digits, 2, 20)
    endpoint = host(rng, service)
    method = "GET" if rng.random() < 0.15 else "POST"
    action = camel(rng)
    seconds = timestamp(rng)
    secret_id = "AKID" + word(rng, string.ascii_letters + string.digits, 8, 36) if rng.random() < 0.7 else \
        secret(rng, allow_space=False)
    secret_key = secret(rng, allow_space=False)
    token = text(rng) if rng.random() < 0.3 else None
    params = json_object(rng)

    profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint, reqMethod=method),
                            language=rng.choice(["zh-CN", "en-US"]))
    client = CommonClient(service, version(rng), Credential(secret_id, secret_key, token),
                          rng.choice(["ap-guangzhou", "ap-singapore", "na-siliconvalley"]), profile)
    # As AbstractClient._call does, without sending.
    request = RequestInternal(client._get_endpoint(), profile.httpProfile.reqMethod, client._requestPath,
                              header={"X-TC-TraceId": nonce(rng)})
    hashes, signed = HashlibSpy(), []

    class SignSpy(Sign):
        @staticmethod
        def sign_tc3(secret_key, date, service, str2sign):
            signed.append(str2sign)
            return Sign.sign_tc3(secret_key, date, service, str2sign)

    with mock.patch.object(abstract_client, "time", mock.Mock(time=lambda: seconds)), \
            mock.patch.object(abstract_client, "hashlib", hashes), \
            mock.patch.object(abstract_client, "Sign", SignSpy):
        client._build_req_inter(action, params, request)

    authorization = request.header["Authorization"]
    body = decode(request.data)
    oracle = {
        "id": index, "alg": "tc3", "method": request.method, "host": request.header["Host"],
        "path": request.uri, "canonical_query": body if method == "GET" else "",
        "content_type": request.header["Content-Type"], "payload": "" if method == "GET" else body,
        "action": None, "service": service, "timestamp": int(request.header["X-TC-Timestamp"]),
        "secret_id": secret_id, "secret_key": secret_key,
    }
    official = {
        "authorization": authorization,
        "signature": authorization.rsplit("Signature=", 1)[1],
        # _get_tc3_signature hashes the payload, then the canonical request.
        "canonical_request": decode(hashes.sha256_inputs[1]),
        "string_to_sign": signed[0],
    }
    return oracle, official


def tc3_action_canonical_request(method, path, query, content_type, host, action, payload):
    """The canonical request signing content-type;host;x-tc-action, as Tencent's documentation
    (cloud.tencent.com/document/api/213/30654) and its signature demo build it."""
    canonical_headers = f"content-type:{content_type}\nhost:{host}\nx-tc-action:{action.lower()}\n"
    signed_headers = "content-type;host;x-tc-action"
    payload_hash = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return f"{method}\n{path}\n{query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}"


def tc3_action_case(rng, index):
    """cloudspec's wire request: POST, charset content type, compact UTF-8 JSON, x-tc-action signed."""
    service = word(rng, string.ascii_lowercase + string.digits, 2, 16)
    endpoint = host(rng, service)
    action = camel(rng)
    seconds = timestamp(rng)
    secret_id, secret_key = secret(rng), secret(rng)
    content_type = "application/json; charset=utf-8"
    payload = json.dumps(json_object(rng), ensure_ascii=False, separators=(",", ":"))
    canonical_request = tc3_action_canonical_request("POST", "/", "", content_type, endpoint, action, payload)
    date = datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    digest = hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    string_to_sign = f"TC3-HMAC-SHA256\n{seconds}\n{scope}\n{digest}"
    signature = Sign.sign_tc3(secret_key, date, service, string_to_sign)
    official = {
        "canonical_request": canonical_request,
        "string_to_sign": string_to_sign,
        "signature": signature,
        "authorization": f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
                         f"SignedHeaders=content-type;host;x-tc-action, Signature={signature}",
    }
    oracle = {
        "id": index, "alg": "tc3", "method": "POST", "host": endpoint, "path": "/", "canonical_query": "",
        "content_type": content_type, "payload": payload, "action": action, "service": service,
        "timestamp": seconds, "secret_id": secret_id, "secret_key": secret_key,
    }
    return oracle, official


# ---------------------------------------------------------------------------------------------------
# Alibaba Cloud ACS3 and RPC
# ---------------------------------------------------------------------------------------------------

UNSIGNED_HEADERS = ["Accept", "User-Agent", "accept-encoding", "X-TC-Action", "x-acs", "x-acsx-foo", "date",
                    "Content-MD5", "x_acs_foo", "Authorization", "Content-Length"]


def unreserved_name(rng):
    if rng.random() < 0.6:
        return camel(rng)
    return word(rng, UNRESERVED, 1, 24)


def header_value(rng):
    # Python's str.strip also strips U+001C..U+001F, Rust's str::trim (like Go's TrimSpace) does not;
    # neither can be in an HTTP header value, so header values leave C0 controls out.
    value = text(rng, controls=False)
    if rng.random() < 0.2:
        value = rng.choice([" ", "\t", "  ", " \t "]) + value + rng.choice(["", " ", "\t", "\n"])
    return value


def acs3_case(rng, index, names=unreserved_name):
    # Not "": a TeaRequest turns an empty method into GET.
    method = rng.choice(["POST", "GET", "PUT", "DELETE", "PATCH", "HEAD"])
    roll = rng.random()
    if roll < 0.5:
        path = "/"
    elif roll < 0.6:
        path = ""
    else:
        path = "/" + "/".join(text(rng, max_len=12) if rng.random() < 0.5 else word(rng)
                              for _ in range(rng.randint(1, 5)))
    body = text(rng) if rng.random() < 0.7 else ""
    hashed_payload = hashlib.sha256(body.encode("utf-8")).hexdigest()

    query = {}
    for _ in range(rng.randint(0 if names is unreserved_name else 1, 10)):
        query[names(rng)] = text(rng)
    query.update(flat_params(rng))

    service = word(rng)
    signed = [
        ("host", host(rng, service)),
        ("x-acs-action", camel(rng)),
        ("x-acs-version", version(rng)),
        ("x-acs-date", iso8601(timestamp(rng))),
        ("x-acs-signature-nonce", nonce(rng)),
        ("x-acs-content-sha256", hashed_payload),
    ]
    if rng.random() < 0.5:
        signed.append(("content-type", rng.choice(["application/x-www-form-urlencoded", "application/json",
                                                   "application/json; charset=utf-8", header_value(rng)])))
    if rng.random() < 0.3:
        signed.append(("x-acs-security-token", word(rng, UNRESERVED + "+/=", 100, 600)))
    for _ in range(rng.randint(0, 5)):
        signed.append(("x-acs-" + word(rng, string.ascii_lowercase + string.digits + "-_.", 1, 20),
                       header_value(rng)))
    signed = [(case_variant(rng, n) if rng.random() < 0.4 else n, v) for n, v in signed]
    # A dict (the util's headers) holds each exact name once: so does the list cloudspec gets.
    signed = list({n: v for n, v in reversed(signed)}.items())[::-1]
    for _ in range(rng.randint(0, 3)):
        # The same name again, spelt in another case: its values are joined.
        name, _ = rng.choice(signed)
        variant = case_variant(rng, name)
        if variant not in dict(signed):
            signed.append((variant, header_value(rng)))
    rng.shuffle(signed)
    unsigned = [(rng.choice(UNSIGNED_HEADERS), header_value(rng)) for _ in range(rng.randint(0, 4))]
    everything = signed + unsigned
    rng.shuffle(everything)

    access_key_id = word(rng, string.ascii_letters + string.digits, 12, 30) if rng.random() < 0.8 else secret(rng)
    access_key_secret = secret(rng)

    request = TeaRequest()
    request.method = method
    request.pathname = AliUtil.get_encode_path(path)
    request.query = dict(query)
    request.headers = dict(signed)
    hashes, macs = HashlibSpy(), HmacSpy()
    with mock.patch.object(ali_module, "hashlib", hashes), mock.patch.object(ali_module, "hmac", macs):
        authorization = AliUtil.get_authorization(request, "ACS3-HMAC-SHA256", hashed_payload, access_key_id,
                                                  access_key_secret)
    canonical_headers, signed_headers = ali_module.get_canonicalized_headers(dict(signed))
    official = {
        "authorization": authorization,
        "signature": authorization.rsplit("Signature=", 1)[1],
        "canonical_uri": request.pathname or "/",
        "canonical_query": ali_module.get_canonical_query_string(dict(query)),
        "canonical_headers": canonical_headers,
        "signed_headers": signed_headers,
        # get_authorization hashes the canonical request first (later sha256 calls are HMAC's own).
        "canonical_request": decode(hashes.sha256_inputs[0]),
        "string_to_sign": decode(macs.messages[0]),
    }
    oracle = {
        "id": index, "alg": "acs3", "method": method, "path": path, "query": list(query.items()),
        "headers": everything, "hashed_payload": hashed_payload, "access_key_id": access_key_id,
        "access_key_secret": access_key_secret,
    }
    return oracle, official


def any_name(rng):
    """A parameter name: realistic, or any text (special characters, unicode)."""
    roll = rng.random()
    if roll < 0.5:
        return camel(rng)
    if roll < 0.6:
        return word(rng, UNRESERVED, 1, 24)
    return text(rng, max_len=20)


def special_name(rng):
    """A name with at least one character outside RFC 3986's unreserved set."""
    name = text(rng, max_len=12)
    while all(c in UNRESERVED for c in name):
        name += rng.choice(SPECIAL + "é中😀/:")
    return name


def rpc_case(rng, index):
    method = rng.choice(["GET", "POST"])
    access_key_secret = secret(rng)
    params = {
        "AccessKeyId": word(rng, string.ascii_letters + string.digits, 12, 30),
        "Action": camel(rng),
        "Format": rng.choice(["JSON", "XML"]),
        "RegionId": rng.choice(["cn-hangzhou", "cn-beijing", "ap-southeast-1", word(rng)]),
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": nonce(rng),
        "SignatureVersion": "1.0",
        "Timestamp": iso8601(timestamp(rng)),
        "Version": version(rng),
    }
    for _ in range(rng.randint(0, 10)):
        params[any_name(rng)] = text(rng)
    params.update(flat_params(rng))
    macs = HmacSpy()
    with mock.patch.object(ali_module, "hmac", macs):
        signature = AliUtil.get_rpcsignature(dict(params), method, access_key_secret)
    official = {"signature": signature, "string_to_sign": decode(macs.messages[0])}
    oracle = {"id": index, "alg": "rpc", "method": method, "params": list(params.items()),
              "secret": access_key_secret}
    return oracle, official



# ---------------------------------------------------------------------------------------------------
# Whole Alibaba requests: the official request building (tea-openapi do_request) against cloudspec's
# ---------------------------------------------------------------------------------------------------

STYLES = [None, "repeatList", "flat", "json", "simple"]
FLOATS = [0.5, -1e-7, 1e300, 1e16, 1e15, 123.0, -0.0, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 1e-4, 1e-5]
HEADER_TEXT = string.ascii_letters + string.digits + "-_.~!#$&'*+^`|:;,/=?@()[]{}<>\"\\% "


def number(rng):
    roll = rng.random()
    if roll < 0.5:
        return rng.choice([0, -1, 1, 2**53, -(2**63), 2**63 - 1, 2**64 - 1, rng.randint(-10**9, 10**9)])
    if roll < 0.7:
        return rng.choice(FLOATS)
    if roll < 0.85:
        # Any finite double, from random bits.
        while True:
            value = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
            if math.isfinite(value):
                return value
    return rng.random() * 10 ** rng.randint(-6, 20) * rng.choice([1, -1])


def scalar(rng):
    roll = rng.random()
    if roll < 0.7:
        return text(rng)
    if roll < 0.9:
        return number(rng)
    return rng.choice([True, False])


def structure(rng, depth=0, json_keys=False):
    """A list or object parameter value: lists of scalars or objects, objects of lists, nulls inside."""
    key = (lambda: text(rng, max_len=10) if rng.random() < 0.3 else camel(rng)) if json_keys else (lambda: camel(rng))
    roll = rng.random()
    if depth < 3 and roll < 0.35:
        return [structure(rng, depth + 1, json_keys) if rng.random() < 0.4 else scalar(rng)
                for _ in range(rng.randint(0, 4))]
    if depth < 3 and roll < 0.7:
        return {key(): structure(rng, depth + 1, json_keys) if rng.random() < 0.4 else
                (None if rng.random() < 0.05 else scalar(rng)) for _ in range(rng.randint(0, 4))}
    if roll < 0.85:
        return [scalar(rng) for _ in range(rng.randint(0, 5))]
    return None if rng.random() < 0.2 else scalar(rng)


def lower_bools(value):
    """Booleans as cloudspec writes them in queries, forms, headers and paths (see the module doc)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [lower_bools(v) for v in value]
    if isinstance(value, dict):
        return {k: lower_bools(v) for k, v in value.items()}
    return value


def has_bool(value):
    if isinstance(value, bool):
        return True
    if isinstance(value, list):
        return any(has_bool(v) for v in value)
    if isinstance(value, dict):
        return any(has_bool(v) for v in value.values())
    return False


def flattened_param(rng, name, location):
    """A query or form parameter: (name, location, style, value)."""
    style = rng.choice(STYLES)
    if style == "simple":
        value = [scalar(rng) for _ in range(rng.randint(0, 5))]
    elif style == "json":
        value = structure(rng, json_keys=True)
        if not isinstance(value, (list, dict)):
            value = {camel(rng): value}
    elif rng.random() < 0.4:
        value = scalar(rng)
    else:
        value = structure(rng)
    return [name, location, style, value]


def header_param(rng, name):
    value = rng.choice([lambda: word(rng, HEADER_TEXT, 1, 40).strip() or "v", lambda: number(rng),
                        lambda: rng.choice([True, False])])()
    return [name, "header", None, value]


def unique_name(rng, used, make):
    while True:
        name = make(rng)
        if name not in used:
            used.add(name)
            return name


def fit(value):
    """Integers within i64 / u64, as Rust request types (and serde_json values) hold them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return max(-(2**63), min(value, 2**64 - 1))
    if isinstance(value, list):
        return [fit(v) for v in value]
    if isinstance(value, dict):
        return {k: fit(v) for k, v in value.items()}
    return value


def body_value(rng):
    return fit(any_body(rng))


def any_body(rng):
    roll = rng.random()
    if roll < 0.4:
        return json_object(rng)
    if roll < 0.55:
        return structure(rng, json_keys=True) if rng.random() < 0.5 else [json_value(rng, 1) for _ in range(rng.randint(0, 6))]
    if roll < 0.7:
        return text(rng)
    if roll < 0.8:
        return rng.choice([{}, "", []])
    # Large: 100-300 KB.
    return {camel(rng): mixed(rng, rng.randint(100_000, 300_000), True), "Items": [json_value(rng, 1) for _ in range(50)]}


class Captured(BaseException):
    """Raised by the patched DaraCore.do_action, carrying the request the official code built."""


def _capture(request, runtime=None):
    raise Captured(request)


def official_request(case, style):
    """Builds the request with the official code, placing parameters as the generated SDKs do."""
    query, form, headers, path_values, body, has_body = {}, {}, {}, {}, None, False
    for name, location, param_style, value in case["params"]:
        if value is None:
            # The generated SDKs set a parameter only `if not DaraCore.is_null(request.x)`.
            continue
        if location == "body":
            body, has_body = value, True
        elif location in ("query", "form"):
            if param_style in ("json", "simple") and isinstance(value, (list, dict)):
                value = OpenApiUtils.array_to_string_with_specified_style(
                    value if param_style == "json" else lower_bools(value), name, param_style)
            else:
                value = lower_bools(value)
            (query if location == "query" else form)[name] = value
        elif location == "header":
            headers[name] = str(lower_bools(value))
        elif location == "path":
            path_values[name] = DaraURL.percent_encode(str(lower_bools(value)))
    pathname = re.sub(r"\{([^}]*)\}", lambda m: path_values[m.group(1)], case["path"])
    query = OpenApiUtils.query(query)
    if "?" in pathname:
        # alibabacloud_gateway_oss Client.modify_request: the part after `?` joins the query.
        pathname, fixed = pathname.split("?", 1)
        for sub in fixed.split("&"):
            item = sub.split("=")
            if not query.get(item[0]):
                query[item[0]] = item[1] if len(item) == 2 else ""
    if has_body:
        request_body, body_type = body, "json"
    elif form:
        request_body, body_type = OpenApiUtils.parse_to_map(form), "formData"
    else:
        request_body, body_type = None, "json"
    request = openapi_models.OpenApiRequest(query=query, headers=headers, body=request_body)
    params = openapi_models.Params(action=case["action"], version=case["version"], protocol="HTTPS",
                                   pathname=pathname, method=case["method"], auth_type="AK", style=style,
                                   req_body_type=body_type, body_type="json")
    client = OpenApiClient(openapi_models.Config(access_key_id=case["access_key_id"],
                                                 access_key_secret=case["access_key_secret"],
                                                 security_token=case["security_token"], endpoint=case["host"]))
    with mock.patch.object(OpenApiUtils, "get_timestamp", staticmethod(lambda: case["date"])), \
            mock.patch.object(OpenApiUtils, "get_nonce", staticmethod(lambda: case["nonce"])), \
            mock.patch.object(DaraCore, "do_action", staticmethod(_capture)):
        try:
            client.call_api(params, request, RuntimeOptions())
        except Captured as captured:
            built = captured.args[0]
        else:
            raise RuntimeError("the official client did not build a request")
    signed = {k: v for k, v in built.headers.items() if is_signed(k)}
    subset = types.SimpleNamespace(method=built.method, pathname=built.pathname, query=built.query, headers=signed)
    authorization = OpenApiUtils.get_authorization(subset, "ACS3-HMAC-SHA256", built.headers["x-acs-content-sha256"],
                                                   case["access_key_id"], case["access_key_secret"])
    return {
        "method": built.method,
        "path": built.pathname,
        "query": sorted([k, v] for k, v in built.query.items() if v is not None),
        "body": decode(built.body) or "",
        "content_type": built.headers.get("content-type"),
        "signed_headers": sorted([k.lower(), v.strip()] for k, v in signed.items()),
        "authorization": authorization,
    }


def is_signed(name):
    name = name.lower()
    return name in ("host", "content-type") or (name.startswith("x-acs-") and name != "x-acs-credentials-provider")


def request_case_common(rng, index, protocol):
    service = word(rng)
    return {
        "id": index, "alg": "request", "protocol": protocol,
        "host": rng.choice([f"{service}.aliyuncs.com", f"{service}.{rng.choice(['cn-hangzhou', 'ap-southeast-1'])}.aliyuncs.com",
                            f"127.0.0.1:{rng.randint(1, 65535)}"]),
        "action": camel(rng), "version": version(rng), "date": iso8601(timestamp(rng)), "nonce": nonce(rng),
        "access_key_id": word(rng, string.ascii_letters + string.digits, 12, 30),
        "access_key_secret": word(rng, string.ascii_letters + string.digits, 16, 40),
        "security_token": word(rng, UNRESERVED + "+/=", 50, 300) if rng.random() < 0.3 else None,
    }


FIXED_QUERIES = ["?type=log", "?action=START", "?jobResult", "?verify&x=1", "?type=cursor_time"]


def roa_case(rng, index):
    case = request_case_common(rng, index, "roa")
    case["method"] = rng.choice(["GET", "POST", "PUT", "DELETE", "PATCH"])
    used, params, segments = set(), [], []
    for _ in range(rng.randint(0, 5)):
        if rng.random() < 0.45:
            name = unique_name(rng, used, camel)
            segments.append("{" + name + "}")
            value = rng.choice([lambda: text(rng, max_len=30), lambda: rng.choice(SPECIAL + "/?%#é 中"),
                                lambda: number(rng), lambda: rng.choice([True, False])])()
            params.append([name, "path", None, value])
        else:
            segments.append(word(rng, string.ascii_lowercase + string.digits + "-_", 1, 12))
    case["path"] = "/" + "/".join(segments)
    if rng.random() < 0.12:
        fixed = rng.choice(FIXED_QUERIES)
        case["path"] += fixed
        if rng.random() < 0.4:
            key = fixed[1:].split("=")[0].split("&")[0]
            if key not in used:
                used.add(key)
                params.append([key, "query", None, rng.choice(["", "mine", text(rng)])])
    for _ in range(rng.randint(0, 5)):
        params.append(flattened_param(rng, unique_name(rng, used, camel), "query"))
    for _ in range(rng.choice([0, 0, 1, 2])):
        params.append(header_param(rng, unique_name(rng, used, lambda r: rng.choice(["x-acs-", "X-Acs-", "x-custom-"]) + word(r))))
    roll = rng.random()
    if roll < 0.55:
        params.append(["body", "body", rng.choice([None, "json"]), body_value(rng)])
    elif roll < 0.75:
        for _ in range(rng.randint(1, 4)):
            params.append(flattened_param(rng, unique_name(rng, used, camel), "form"))
    rng.shuffle(params)
    case["params"] = params
    return case, official_request(case, "ROA")


def rpc_request_case(rng, index):
    case = request_case_common(rng, index, "rpc")
    case["method"] = rng.choice(["GET", "POST"])
    case["path"] = "/"
    used, params = set(), []
    for _ in range(rng.randint(0, 8)):
        params.append(flattened_param(rng, unique_name(rng, used, camel), "query"))
    if rng.random() < 0.4:
        for _ in range(rng.randint(1, 5)):
            params.append(flattened_param(rng, unique_name(rng, used, camel), "form"))
    rng.shuffle(params)
    case["params"] = params
    return case, official_request(case, "RPC")


def request_answer(ours):
    """cloudspec's answer in the official result's shape."""
    if "error" in ours:
        return {"error": ours["error"]}
    return {
        "method": ours["method"],
        "path": ours["path"],
        "query": [list(p) for p in ours["query"]],
        "body": ours["body"],
        "content_type": ours["content_type"],
        "signed_headers": sorted([k, v.strip()] for k, v in ours["headers"] if is_signed(k)),
        "authorization": ours["authorization"],
    }


# ---------------------------------------------------------------------------------------------------
# Running and comparing
# ---------------------------------------------------------------------------------------------------

CHECKS = {
    "tc3": (tc3_sdk_case, "SDK-built requests, SignedHeaders=content-type;host"),
    "tc3-action": (tc3_action_case, "SignedHeaders=content-type;host;x-tc-action, HMAC by Sign.sign_tc3"),
    "acs3": (acs3_case, "Client.get_authorization"),
    "rpc": (rpc_case, "Client.get_rpcsignature, GET and POST"),
    "roa": (roa_case, "whole ROA requests, tea-openapi Client.call_api -> do_request"),
    "rpc-request": (rpc_request_case, "whole RPC requests in every style, tea-openapi Client.call_api -> do_request"),
}

# Checks whose cloudspec answer is reshaped before comparing.
RESHAPE = {"roa": request_answer, "rpc-request": request_answer}


def run_oracle(command, inputs):
    payload = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in inputs).encode("utf-8")
    try:
        result = subprocess.run(command, input=payload, capture_output=True, cwd=REPO, check=False)
    except OSError as error:
        sys.exit(f"signature_crosscheck.py: cannot run the oracle {command}: {error}")
    if result.returncode != 0:
        sys.stderr.write(result.stderr.decode("utf-8", "replace"))
        sys.exit(f"signature_crosscheck.py: the oracle {command} failed with exit code {result.returncode}")
    outputs = [json.loads(line) for line in result.stdout.decode("utf-8").split("\n") if line.strip()]
    if [o.get("id") for o in outputs] != [i["id"] for i in inputs]:
        sys.exit(f"signature_crosscheck.py: the oracle answered {len(outputs)} lines for {len(inputs)} inputs")
    return outputs


def shorten(value, limit=600):
    text_ = json.dumps(value, ensure_ascii=False)
    return text_ if len(text_) <= limit else f"{text_[:limit]}... ({len(text_)} characters)"


def report(name, cases, outputs, show):
    """Compares every official field with cloudspec's; prints the summary and the first mismatches."""
    mismatches = []
    for (oracle_input, official), ours in zip(cases, outputs):
        ours = RESHAPE.get(name, lambda o: o)(ours)
        fields = [f for f in official if official[f] != ours.get(f)]
        if fields:
            mismatches.append((oracle_input, official, ours, fields))
    print(f"{name}: {len(cases)} compared, {len(mismatches)} mismatches ({CHECKS[name][1]})")
    for oracle_input, official, ours, fields in mismatches[:show]:
        print(f"  mismatch in {', '.join(fields)} for input {shorten(oracle_input)}")
        for field in fields:
            print(f"    {field}: official  {shorten(official[field])}")
            print(f"    {field}: cloudspec {shorten(ours.get(field))}")
    return len(mismatches)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="random requests per check (default 1000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--oracle", help="path of the cloudspec-sign-oracle binary (default: cargo run it)")
    parser.add_argument("--show", type=int, default=3, help="mismatches shown per check (default 3)")
    parser.add_argument("--probe", type=int, default=100,
                        help="acs3 requests with names outside RFC 3986 unreserved, reported only (default 100)")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be at least 1")

    started = time.monotonic()
    print(f"seed: {args.seed}, {args.count} requests per check")
    command = [args.oracle] if args.oracle else \
        ["cargo", "run", "-q", "-p", "cloudspec-tests", "--bin", "cloudspec-sign-oracle"]

    cases = {}
    for offset, (name, (make, _)) in enumerate(CHECKS.items()):
        rng = random.Random(args.seed * 31 + offset)
        cases[name] = [make(rng, i) for i in range(args.count)]
    probe_rng = random.Random(args.seed * 31 + len(CHECKS))
    probe = [acs3_case(probe_rng, i, names=special_name) for i in range(args.probe)]

    inputs = [oracle for name in CHECKS for oracle, _ in cases[name]] + [oracle for oracle, _ in probe]
    for number, oracle in enumerate(inputs):
        oracle["id"] = number
    outputs = run_oracle(command, inputs)

    failures, start = 0, 0
    for name in CHECKS:
        failures += report(name, cases[name], outputs[start:start + args.count], args.show)
        start += args.count
    for name in ("roa", "rpc-request"):
        booleans = sum(any(has_bool(p[3]) and (p[1] != "body" and p[2] != "json") for p in c["params"])
                       for c, _ in cases[name])
        fixed = sum("?" in c["path"] for c, _ in cases[name])
        print(f"{name} (not counted): {booleans} requests carried booleans outside JSON, written true/false by cloudspec "
              f"where Python's str() writes True/False (lower-cased for the official code); {fixed} paths had a "
              f"fixed `?` query, split as alibabacloud_gateway_oss does")
    if probe:
        differ = [(c, o) for c, o in zip(probe, outputs[start:]) if c[1]["authorization"] != o["authorization"]]
        outside = sorted({f for c, o in differ for f in c[1] if c[1][f] != o.get(f)}
                         - {"canonical_query", "canonical_request", "string_to_sign", "signature", "authorization"})
        print(f"acs3 probe (not counted): {len(probe)} requests with parameter names outside RFC 3986 unreserved, "
              f"{len(differ)} signed differently: the official util leaves names unencoded in the canonical "
              f"query, cloudspec percent-encodes them"
              + (f"; ALSO differing: {', '.join(outside)}" if outside else ""))
        if differ:
            (_, official), ours = differ[0]
            print(f"  e.g. canonical_query: official  {shorten(official['canonical_query'], 200)}")
            print(f"       canonical_query: cloudspec {shorten(ours['canonical_query'], 200)}")
        if outside:
            failures += 1
    print(f"{'FAILED' if failures else 'ok'}: {failures} mismatches in {time.monotonic() - started:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
