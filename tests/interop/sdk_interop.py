#!/usr/bin/env python3
"""Calls `cloudspec serve` with the official Python SDKs of Tencent Cloud and Alibaba Cloud.

Each official client is pointed at the fake through its own endpoint override, over plain http on
loopback, and calls every seed action with valid parameters; each call must succeed with a non-empty
RequestId (CreateApiKey also with the key it created). Then each client signs with a wrong secret and
must get the provider's authentication error.

Official code used (installed by setup.sh, pinned in requirements.txt):

  Tencent  tencentcloud.apigateway.v20180808.apigateway_client.ApigatewayClient (CreateApiKey,
           UpdateApiKey, UpdateApiAppKey) and tencentcloud.teo.v20220901.teo_client.TeoClient
           (ModifyMultiPathGatewaySecretKey), with Credential(id, secret), region ap-guangzhou and
           ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint="127.0.0.1:PORT")): TC3
           signed POST JSON requests, and one CreateApiKey with reqMethod="GET" (the parameters, Tags
           flattened, in the signed query string). A wrong secret must raise TencentCloudSDKException with code
           AuthFailure.SignatureFailure.
  Alibaba  alibabacloud_cloudapi20160714.client.Client.reset_app_secret with
           alibabacloud_tea_openapi.models.Config(access_key_id, access_key_secret, endpoint=
           "127.0.0.1:PORT", protocol="http", region_id="cn-hangzhou"): once with the default
           signature (ACS3-HMAC-SHA256, x-acs-action) and once with signature_algorithm="v2" (the legacy
           RPC signature, HMAC-SHA1 `Signature` query parameter). A wrong secret must raise an exception
           whose code is SignatureDoesNotMatch.

Prints one line per call and `sdk interop: N calls ok, M auth failures as expected`. Exits 1 on any
failure, 2 when it cannot run.
"""

import argparse
import os
import sys
import time
import traceback
from urllib.parse import urlparse

try:
    from alibabacloud_cloudapi20160714 import models as cloudapi_models
    from alibabacloud_cloudapi20160714.client import Client as CloudApiClient
    from alibabacloud_tea_openapi.models import Config as AlibabaConfig
    from tencentcloud.apigateway.v20180808 import models as apigateway_models
    from tencentcloud.apigateway.v20180808.apigateway_client import ApigatewayClient
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.teo.v20220901 import models as teo_models
    from tencentcloud.teo.v20220901.teo_client import TeoClient
except ImportError as error:
    sys.stderr.write(
        f"sdk_interop.py: the official SDKs are missing ({error}).\n"
        "Run `bash tests/interop/setup.sh` and use tests/interop/.venv/bin/python.\n"
    )
    sys.exit(2)

# The credentials `cloudspec serve` accepts unless told otherwise.
DEFAULT_ID = "cloudspec-fake-id"
DEFAULT_SECRET = "cloudspec-fake-secret"
WRONG_SECRET = "not-the-cloudspec-fake-secret"

TENCENT_REGION = "ap-guangzhou"
ALIBABA_REGION = "cn-hangzhou"
GATEWAY_SECRET_KEY = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="
APP_KEY = "60030986"


class Failed(Exception):
    """A call did not do what it must."""


class Run:
    def __init__(self):
        self.ok = 0
        self.auth_failures = 0
        self.failures = []

    def call(self, name, function):
        """Runs one call; `function` returns a short description of the result or raises."""
        try:
            detail = function()
        except Exception as error:  # noqa: BLE001 - every failure is reported, then the run goes on
            self.failures.append(name)
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
            traceback.print_exc(file=sys.stderr)
            return None
        print(f"ok   {name}: {detail}", flush=True)
        return detail

    def succeeds(self, name, function):
        if self.call(name, function) is not None:
            self.ok += 1

    def denied(self, name, function):
        if self.call(name, function) is not None:
            self.auth_failures += 1


def require(condition, message):
    if not condition:
        raise Failed(message)


# ---------------------------------------------------------------------------------------------------
# Tencent Cloud


def tencent_profile(host, method="POST"):
    return ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=host, reqMethod=method, reqTimeout=30))


def apigateway(host, secret=DEFAULT_SECRET, method="POST"):
    return ApigatewayClient(Credential(DEFAULT_ID, secret), TENCENT_REGION, tencent_profile(host, method))


def teo(host, secret=DEFAULT_SECRET):
    return TeoClient(Credential(DEFAULT_ID, secret), TENCENT_REGION, tencent_profile(host))


def request(model_class, **fields):
    request = model_class()
    for name, value in fields.items():
        setattr(request, name, value)
    return request


def tencent_request_id(response):
    require(isinstance(response.RequestId, str) and response.RequestId, f"no RequestId in {response}")
    return response.RequestId


def tencent_auth_failure(function):
    try:
        response = function()
    except TencentCloudSDKException as error:
        require(
            error.get_code() == "AuthFailure.SignatureFailure",
            f"expected AuthFailure.SignatureFailure, got {error}",
        )
        require(error.get_request_id(), f"no RequestId in {error}")
        return f"{error.get_code()} (RequestId {error.get_request_id()})"
    raise Failed(f"a wrong secret was accepted: {response}")


def tencent_calls(run, host, suffix):
    client = apigateway(host)
    created = {}

    def create_auto():
        response = client.CreateApiKey(
            request(apigateway_models.CreateApiKeyRequest, SecretName=f"sdk-auto-{suffix}", AccessKeyType="auto")
        )
        request_id = tencent_request_id(response)
        result = response.Result
        require(result is not None, f"no Result in {response}")
        require(result.AccessKeyId and result.AccessKeySecret, f"no key in the Result: {response}")
        require(result.AccessKeyType == "auto", f"AccessKeyType {result.AccessKeyType!r}, expected 'auto'")
        created["auto"] = result.AccessKeyId
        return f"RequestId {request_id}, key {result.AccessKeyId}"

    run.succeeds("tencent apigateway CreateApiKey (auto)", create_auto)

    manual_id = f"sdkmanual_{suffix}"
    manual_secret = f"sdkmanualsecret_{suffix}"

    def create_manual():
        response = client.CreateApiKey(
            request(
                apigateway_models.CreateApiKeyRequest,
                SecretName=f"sdk-manual-{suffix}",
                AccessKeyType="manual",
                AccessKeyId=manual_id,
                AccessKeySecret=manual_secret,
            )
        )
        request_id = tencent_request_id(response)
        result = response.Result
        require(result is not None, f"no Result in {response}")
        require(result.AccessKeyId == manual_id, f"AccessKeyId {result.AccessKeyId!r}, expected {manual_id!r}")
        require(result.AccessKeySecret == manual_secret, "the AccessKeySecret is not the one given")
        require(result.AccessKeyType == "manual", f"AccessKeyType {result.AccessKeyType!r}, expected 'manual'")
        created["manual"] = result.AccessKeyId
        return f"RequestId {request_id}, key {result.AccessKeyId}"

    run.succeeds("tencent apigateway CreateApiKey (manual)", create_manual)

    def update_key():
        key_id = created.get("auto")
        require(key_id, "CreateApiKey (auto) returned no key to update")
        response = client.UpdateApiKey(request(apigateway_models.UpdateApiKeyRequest, AccessKeyId=key_id))
        request_id = tencent_request_id(response)
        result = response.Result
        require(result is not None and result.AccessKeyId == key_id, f"not the updated key: {response}")
        require(result.AccessKeySecret, f"no new secret: {response}")
        return f"RequestId {request_id}, key {result.AccessKeyId}"

    run.succeeds("tencent apigateway UpdateApiKey", update_key)

    def update_app_key():
        response = client.UpdateApiAppKey(
            request(
                apigateway_models.UpdateApiAppKeyRequest,
                ApiAppId=f"app-{suffix}",
                ApiAppKey=f"APID{suffix}",
                ApiAppSecret=f"sdkappsecret{suffix}",
            )
        )
        request_id = tencent_request_id(response)
        require(response.Result is True, f"Result {response.Result!r}, expected true")
        return f"RequestId {request_id}, Result {response.Result}"

    run.succeeds("tencent apigateway UpdateApiAppKey", update_app_key)

    # The SDK's other method: parameters flattened into a signed query string (`Tags.0.Key=...`).
    def create_with_get():
        tag = request(apigateway_models.Tag, Key="team", Value="interop")
        response = apigateway(host, method="GET").CreateApiKey(
            request(apigateway_models.CreateApiKeyRequest, SecretName=f"sdk-get-{suffix}", Tags=[tag])
        )
        request_id = tencent_request_id(response)
        result = response.Result
        require(result is not None and result.AccessKeyId, f"no key in {response}")
        return f"RequestId {request_id}, key {result.AccessKeyId}"

    run.succeeds("tencent apigateway CreateApiKey (GET, with Tags)", create_with_get)

    def modify_gateway_key():
        response = teo(host).ModifyMultiPathGatewaySecretKey(
            request(
                teo_models.ModifyMultiPathGatewaySecretKeyRequest,
                ZoneId=f"zone-{suffix}",
                SecretKey=GATEWAY_SECRET_KEY,
            )
        )
        return f"RequestId {tencent_request_id(response)}"

    run.succeeds("tencent teo ModifyMultiPathGatewaySecretKey", modify_gateway_key)

    run.denied(
        "tencent apigateway CreateApiKey, wrong secret",
        lambda: tencent_auth_failure(
            lambda: apigateway(host, WRONG_SECRET).CreateApiKey(
                request(apigateway_models.CreateApiKeyRequest, SecretName=f"sdk-denied-{suffix}")
            )
        ),
    )
    run.denied(
        "tencent teo ModifyMultiPathGatewaySecretKey, wrong secret",
        lambda: tencent_auth_failure(
            lambda: teo(host, WRONG_SECRET).ModifyMultiPathGatewaySecretKey(
                request(
                    teo_models.ModifyMultiPathGatewaySecretKeyRequest,
                    ZoneId=f"zone-{suffix}",
                    SecretKey=GATEWAY_SECRET_KEY,
                )
            )
        ),
    )


# ---------------------------------------------------------------------------------------------------
# Alibaba Cloud


def cloudapi(host, secret=DEFAULT_SECRET, signature_algorithm=None):
    config = AlibabaConfig(
        access_key_id=DEFAULT_ID,
        access_key_secret=secret,
        endpoint=host,
        protocol="http",
        region_id=ALIBABA_REGION,
        read_timeout=30000,
        connect_timeout=10000,
    )
    if signature_algorithm:
        config.signature_algorithm = signature_algorithm
    return CloudApiClient(config)


def alibaba_auth_failure(function):
    try:
        response = function()
    except Exception as error:  # noqa: BLE001 - the SDK's exception classes differ between versions
        code = getattr(error, "code", None)
        require(code == "SignatureDoesNotMatch", f"expected SignatureDoesNotMatch, got {type(error).__name__}: {error}")
        request_id = getattr(error, "request_id", None) or (getattr(error, "data", None) or {}).get("RequestId")
        require(request_id, f"no RequestId in {error}")
        return f"{type(error).__name__} {code} (RequestId {request_id})"
    raise Failed(f"a wrong secret was accepted: {response.to_map() if hasattr(response, 'to_map') else response}")


def alibaba_calls(run, host):
    for label, algorithm in (("ACS3", None), ("RPC v2", "v2")):

        def reset(algorithm=algorithm):
            response = cloudapi(host, signature_algorithm=algorithm).reset_app_secret(
                cloudapi_models.ResetAppSecretRequest(app_key=APP_KEY)
            )
            require(response.status_code == 200, f"status {response.status_code}")
            request_id = response.body.request_id if response.body else None
            require(request_id, f"no RequestId in {response.to_map()}")
            return f"RequestId {request_id}"

        run.succeeds(f"alibaba cloudapi ResetAppSecret ({label})", reset)

    for label, algorithm in (("ACS3", None), ("RPC v2", "v2")):
        run.denied(
            f"alibaba cloudapi ResetAppSecret ({label}), wrong secret",
            lambda algorithm=algorithm: alibaba_auth_failure(
                lambda: cloudapi(host, WRONG_SECRET, algorithm).reset_app_secret(
                    cloudapi_models.ResetAppSecretRequest(app_key=APP_KEY)
                )
            ),
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--endpoint", required=True, help="the fake's URL, http://127.0.0.1:PORT")
    args = parser.parse_args()
    url = urlparse(args.endpoint)
    if url.scheme != "http" or not url.hostname or not url.port:
        parser.error(f"--endpoint must be http://HOST:PORT, not {args.endpoint!r}")
    host = f"{url.hostname}:{url.port}"
    # The fake is on this machine: never through a proxy.
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = ",".join(filter(None, [os.environ.get(name), url.hostname, "localhost"]))

    # Distinct names per run, so the script can run twice against the same fake.
    suffix = f"{int(time.time() * 1000) % 10**10:010d}"
    run = Run()
    tencent_calls(run, host, suffix)
    alibaba_calls(run, host)

    print(f"sdk interop: {run.ok} calls ok, {run.auth_failures} auth failures as expected", flush=True)
    if run.failures:
        print(f"sdk interop: {len(run.failures)} failed: {', '.join(run.failures)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
