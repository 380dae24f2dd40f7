#!/usr/bin/env python3
"""Which credential source the official default chains choose, for tests/tests/credentials_oracle.rs.

Run once per scenario, in an environment made of the scenario alone (HOME is a temporary directory
holding its files): alibabacloud_credentials reads its variables at import. Prints one JSON line,
{"tencent": ..., "alibaba": ...}, each a normalised outcome:

  "static <access key id>"   a key (environment, profile file)
  "assume-role <role arn>"   STS AssumeRole with a profile's key
  "oidc <role arn>"          STS AssumeRoleWithWebIdentity / AssumeRoleWithOIDC
  "metadata"                 the instance role (only when a profile asks for it: offline, the chains'
                             own instance-role step finds no instance)
  "uri"                      ALIBABA_CLOUD_CREDENTIALS_URI
  "invalid"                  the chain stopped on a configuration error
  "none"                     nothing configured
  "crash <exception>"        the library failed on its own

No packet leaves the machine: every non-loopback connection is refused before it is made, so a chain
that would call STS or a metadata service fails there, and its choice is read from the provider it
built (the source it would have used).
"""
import json
import logging
import os
import socket
import sys


def guard_network():
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def loopback(host):
        return str(host) in ("localhost", "127.0.0.1", "::1")

    def getaddrinfo(host, *args, **kwargs):
        if not loopback(host):
            raise socket.gaierror(-2, "oracle: no network (%s)" % host)
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if not loopback(host):
            raise ConnectionRefusedError("oracle: no network (%s)" % host)
        return real_connect(self, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect


def tencent():
    from tencentcloud.common import credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

    try:
        found = credential.DefaultCredentialProvider().get_credentials()
    except TencentCloudSDKException as e:
        return "invalid" if e.get_code() == "InvalidCredential" else "crash %s" % e.get_code()
    except OSError as e:
        # "TKE_REGION not exist": the TKE step, reached when nothing else is configured.
        return "none" if "not exist" in str(e) else "crash OSError"
    except Exception as e:  # noqa: BLE001 - the library's own failures are part of the answer
        return "crash %s" % type(e).__name__
    kind = type(found).__name__
    if kind == "Credential":
        return "static %s" % found.secret_id
    if kind == "OIDCRoleArnCredential":
        return "oidc %s" % found._role_arn
    if kind == "CVMRoleCredential":
        return "metadata"
    return "crash %s" % kind


def inner(provider):
    kind = type(provider).__name__
    if kind in ("StaticAKCredentialsProvider", "StaticSTSCredentialsProvider"):
        return "static %s" % provider.access_key_id
    if kind == "RamRoleArnCredentialsProvider":
        return "assume-role %s" % provider._role_arn
    if kind == "OIDCRoleArnCredentialsProvider":
        return "oidc %s" % provider._role_arn
    if kind == "EcsRamRoleCredentialsProvider":
        return "metadata"
    if kind == "URLCredentialsProvider":
        return "uri"
    return "crash %s" % kind


def alibaba():
    from alibabacloud_credentials.provider import DefaultCredentialsProvider

    try:
        chain = DefaultCredentialsProvider()._DefaultCredentialsProvider__providers_chain
    except Exception as e:  # noqa: BLE001
        return "crash %s" % type(e).__name__
    for provider in chain:
        kind = type(provider).__name__
        if kind == "EcsRamRoleCredentialsProvider":
            continue  # offline: not an instance
        if kind == "OIDCRoleArnCredentialsProvider":
            return inner(provider)
        if kind == "URLCredentialsProvider":
            return "uri"
        try:
            found = provider.get_credentials()
            return "static %s" % found.get_access_key_id()
        except Exception:  # noqa: BLE001 - collected by the official chain, which moves on
            pass
        for attribute in ("_CLIProfileCredentialsProvider__innerProvider", "_ProfileCredentialsProvider__innerProvider"):
            built = getattr(provider, attribute, None)
            if built is not None:
                return inner(built)
    return "none"


def main():
    guard_network()
    logging.disable(logging.CRITICAL)
    print(json.dumps({"tencent": tencent(), "alibaba": alibaba()}))
    sys.stdout.flush()
    os._exit(0)  # the Alibaba library leaves scheduler threads behind


if __name__ == "__main__":
    main()
