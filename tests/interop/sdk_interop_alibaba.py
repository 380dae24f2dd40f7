#!/usr/bin/env python3
"""Calls `cloudspec serve` with the official Alibaba Cloud Python SDKs of ecs 2014-05-26 (RPC),
cs 2015-12-15 (ROA) and cloudcontrol 2022-08-30 (ROA, whole-path actions).

Each client is pointed at the fake through its endpoint override (`Config(endpoint="127.0.0.1:PORT",
protocol="http")`) and calls actions with list- and object-valued parameters; each call must succeed and
return the action's documented example (`--specs`: the specs the fake serves), as the SDK's own response
model reads it. Then a wrong secret must fail with `SignatureDoesNotMatch`.

Official code used (installed by setup.sh, pinned in requirements.txt):

  ecs  alibabacloud_ecs20140526.client.Client (RPC; ACS3-HMAC-SHA256 by default, and once the legacy
       HMAC-SHA1 `Signature` with signature_algorithm="v2"): DescribeRegions (scalars), DescribeInstances
       (a JSON array in a string, repeatList `Tag.N.Key`, `Filter.N.Key`, repeatList `Ipv6Address.N`),
       TagResources (repeatList strings and objects), ModifyInstanceAttribute (flat objects
       `RemoteConnectionOptions.Password`, repeatList `SecurityGroupIds.N`, dotted `CpuOptions.Core`),
       AuthorizeSecurityGroup (flat list of objects `Permissions.N.IpProtocol`), RunCommand (a json-style
       object `Parameters`, repeatList `InstanceId.N`).
  cs   alibabacloud_cs20151215.client.Client (ROA; ACS3-HMAC-SHA256, and the legacy HMAC-SHA1
       `Authorization: acs id:signature` with signature_algorithm="v2" for DescribeClusterDetail and
       ModifyCluster): DescribeClusterDetail (a path
       parameter with `/`, a space and non-ASCII text, percent-encoded), DescribeClustersV1 (query),
       DeleteCluster (DELETE; json-style lists in the query, a boolean), ModifyCluster (PUT; a JSON body with
       nested objects), DescribeClusterUserKubeconfig (path, boolean and integer query), ScaleClusterNodePool
       (two path parameters, JSON body), ListTagResources (json-style lists of strings and objects in the
       query).
  cloudcontrol  alibabacloud_cloudcontrol20220830.client.Client (ROA; ACS3-HMAC-SHA256): CreateResource
       (the caller's `request_path` is the request path, a JSON body), GetResources (a json-style object in
       the query), DeleteResource (DELETE), GetTask (an ordinary path parameter), and GetResources with a
       wrong secret. Only with `--services cloudcontrol` (tests/tests/sdk_interop_alibaba.rs compares these
       requests with the generated Rust client's).

Prints one line per call and `sdk interop: N calls ok, M auth failures as expected`. Exits 1 on any
failure, 2 when it cannot run.
"""

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlparse

try:
    from alibabacloud_cloudcontrol20220830 import models as cc_models
    from alibabacloud_cloudcontrol20220830.client import Client as CloudControlClient
    from alibabacloud_cs20151215 import models as cs_models
    from alibabacloud_cs20151215.client import Client as CsClient
    from alibabacloud_ecs20140526 import models as ecs_models
    from alibabacloud_ecs20140526.client import Client as EcsClient
    from alibabacloud_tea_openapi.models import Config
except ImportError as error:
    sys.stderr.write(
        f"sdk_interop_alibaba.py: the official SDKs are missing ({error}).\n"
        "Run `bash tests/interop/setup.sh` and use tests/interop/.venv/bin/python.\n"
    )
    sys.exit(2)

# The credentials `cloudspec serve` accepts unless told otherwise.
DEFAULT_ID = "cloudspec-fake-id"
DEFAULT_SECRET = "cloudspec-fake-secret"
WRONG_SECRET = "not-the-cloudspec-fake-secret"
REGION = "cn-hangzhou"


class Failed(Exception):
    """A call did not do what it must."""


class Run:
    def __init__(self):
        self.ok = 0
        self.auth_failures = 0
        self.failures = []

    def call(self, name, function):
        started = time.monotonic()
        try:
            detail = function()
        except Exception as error:  # noqa: BLE001 - every failure is reported, then the run goes on
            self.failures.append(name)
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
            traceback.print_exc(file=sys.stderr)
            return None
        print(f"ok   {name}: {detail} ({(time.monotonic() - started) * 1000:.0f} ms)", flush=True)
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


def config(host, secret=DEFAULT_SECRET, signature_algorithm=None):
    cfg = Config(
        access_key_id=DEFAULT_ID,
        access_key_secret=secret,
        endpoint=host,
        protocol="http",
        region_id=REGION,
        read_timeout=30000,
        connect_timeout=10000,
    )
    if signature_algorithm:
        cfg.signature_algorithm = signature_algorithm
    return cfg


class Examples:
    """The documented success example of each action, from the specs the fake serves."""

    def __init__(self, specs):
        self.by_action = {}
        for service in ("ecs/2014-05-26", "cs/2015-12-15", "cloudcontrol/2022-08-30"):
            spec = json.loads((specs / "alibabacloud" / f"{service}.json").read_text(encoding="utf-8"))
            for name, action in spec["actions"].items():
                outputs = [e["output"] for e in action.get("examples", []) if e.get("output")]
                if outputs:
                    self.by_action[(service.split("/")[0], name)] = json.loads(outputs[0])

    def get(self, service, action):
        example = self.by_action.get((service, action))
        require(example is not None, f"the spec of {service} {action} has no example")
        return example


def same_as_example(response, body_class, example, rpc):
    """The response body, as the SDK's model reads it, is the example as the same model reads it."""
    require(response.status_code == 200, f"status {response.status_code}")
    got = response.body.to_map()
    want = body_class().from_map(example).to_map()
    if rpc:
        # The fake answers with a fresh RequestId, not the example's.
        request_id = got.pop("RequestId", None)
        want.pop("RequestId", None)
        require(request_id and request_id != example.get("RequestId"), f"no fresh RequestId in {got}")
    else:
        request_id = (response.headers or {}).get("x-acs-request-id")
        require(request_id, f"no x-acs-request-id header in {response.headers}")
    # An RPC example may hold nothing but its RequestId (ModifyInstanceAttribute).
    require(want or (rpc and set(example) == {"RequestId"}), f"the example reads as an empty {body_class.__name__}: {example}")
    require(got == want, f"not the documented example:\n got  {json.dumps(got, sort_keys=True)[:2000]}\n want {json.dumps(want, sort_keys=True)[:2000]}")
    return f"documented example ({len(json.dumps(got))} bytes), RequestId {request_id}"


def auth_failure(function):
    try:
        response = function()
    except Exception as error:  # noqa: BLE001 - the SDK's exception classes differ between versions
        code = getattr(error, "code", None)
        require(code == "SignatureDoesNotMatch", f"expected SignatureDoesNotMatch, got {type(error).__name__}: {error}")
        request_id = getattr(error, "request_id", None) or (getattr(error, "data", None) or {}).get("RequestId")
        require(request_id, f"no RequestId in {error}")
        return f"{type(error).__name__} {code} (RequestId {request_id})"
    raise Failed(f"a wrong secret was accepted: {response.to_map() if hasattr(response, 'to_map') else response}")


# ---------------------------------------------------------------------------------------------------
# ecs 2014-05-26 (RPC)


def ecs_calls(run, host, examples):
    m = ecs_models

    def check(response, action, body_class):
        return same_as_example(response, body_class, examples.get("ecs", action), rpc=True)

    for label, algorithm in (("ACS3", None), ("RPC v2 signature", "v2")):
        run.succeeds(
            f"ecs DescribeRegions ({label})",
            lambda algorithm=algorithm: check(
                EcsClient(config(host, signature_algorithm=algorithm)).describe_regions(
                    m.DescribeRegionsRequest(instance_charge_type="PrePaid", resource_type="instance", accept_language="en-US")
                ),
                "DescribeRegions",
                m.DescribeRegionsResponseBody,
            ),
        )

    client = EcsClient(config(host))
    run.succeeds(
        "ecs DescribeInstances (JSON array in a string, repeatList Tag and Ipv6Address, Filter.N)",
        lambda: check(
            client.describe_instances(
                m.DescribeInstancesRequest(
                    region_id=REGION,
                    instance_ids=json.dumps(["i-bp67acfmxazb4p****", "i-bp67acfmxazb5p****"]),
                    page_size=10,
                    page_number=1,
                    tag=[m.DescribeInstancesRequestTag(key="env", value="interop"), m.DescribeInstancesRequestTag(key="team")],
                    filter=[m.DescribeInstancesRequestFilter(key="CreationStartTime", value="2017-12-05T22:40Z")],
                    ipv_6address=["2001:db8::1", "2001:db8::2"],
                    dry_run=False,
                )
            ),
            "DescribeInstances",
            m.DescribeInstancesResponseBody,
        ),
    )
    run.succeeds(
        "ecs TagResources (repeatList strings and objects)",
        lambda: check(
            client.tag_resources(
                m.TagResourcesRequest(
                    region_id=REGION,
                    resource_type="instance",
                    resource_id=["i-bp1j6qtvdm8KcXxx****", "i-bp1j6qtvdm8KcYyy****"],
                    tag=[m.TagResourcesRequestTag(key="env", value="interop"), m.TagResourcesRequestTag(key="owner", value="ci")],
                )
            ),
            "TagResources",
            m.TagResourcesResponseBody,
        ),
    )
    run.succeeds(
        "ecs ModifyInstanceAttribute (flat objects, repeatList, CpuOptions.Core)",
        lambda: check(
            client.modify_instance_attribute(
                m.ModifyInstanceAttributeRequest(
                    instance_id="i-bp67acfmxazb4p****",
                    instance_name="interop-é 1",
                    security_group_ids=["sg-bp15ed6xe1yxeycg7o****", "sg-bp15ed6xe1yxeycg8o****"],
                    remote_connection_options=m.ModifyInstanceAttributeRequestRemoteConnectionOptions(
                        password="Interop-Pass-123", type="vnc"
                    ),
                    private_dns_name_options=m.ModifyInstanceAttributeRequestPrivateDnsNameOptions(
                        hostname_type="Custom", enable_instance_id_dns_arecord=True
                    ),
                    cpu_options=m.ModifyInstanceAttributeRequestCpuOptions(core=2, threads_per_core=2),
                    deletion_protection=True,
                )
            ),
            "ModifyInstanceAttribute",
            m.ModifyInstanceAttributeResponseBody,
        ),
    )
    run.succeeds(
        "ecs AuthorizeSecurityGroup (flat list of objects)",
        lambda: check(
            client.authorize_security_group(
                m.AuthorizeSecurityGroupRequest(
                    region_id=REGION,
                    security_group_id="sg-bp67acfmxazb4p****",
                    permissions=[
                        m.AuthorizeSecurityGroupRequestPermissions(
                            ip_protocol="TCP", port_range="22/22", source_cidr_ip="10.0.0.0/8", policy="accept", priority="1"
                        ),
                        m.AuthorizeSecurityGroupRequestPermissions(
                            ip_protocol="ICMP", port_range="-1/-1", source_cidr_ip="0.0.0.0/0", description="ping"
                        ),
                    ],
                )
            ),
            "AuthorizeSecurityGroup",
            m.AuthorizeSecurityGroupResponseBody,
        ),
    )
    run.succeeds(
        "ecs RunCommand (json-style object, repeatList InstanceId)",
        lambda: check(
            client.run_command(
                m.RunCommandRequest(
                    region_id=REGION,
                    type="RunShellScript",
                    command_content="echo {{name}}",
                    instance_id=["i-bp185dy2o3o6neg****", "i-bp185dy2o3o6nef****"],
                    enable_parameter=True,
                    parameters={"name": "interop", "count": 2, "nested": {"ok": True}},
                    timeout=60,
                )
            ),
            "RunCommand",
            m.RunCommandResponseBody,
        ),
    )

    for label, algorithm in (("ACS3", None), ("RPC v2 signature", "v2")):
        run.denied(
            f"ecs DescribeRegions ({label}), wrong secret",
            lambda algorithm=algorithm: auth_failure(
                lambda: EcsClient(config(host, WRONG_SECRET, algorithm)).describe_regions(m.DescribeRegionsRequest())
            ),
        )


# ---------------------------------------------------------------------------------------------------
# cs 2015-12-15 (ROA)


def cs_calls(run, host, examples):
    m = cs_models
    client = CsClient(config(host))

    def check(response, action, body_class):
        return same_as_example(response, body_class, examples.get("cs", action), rpc=False)

    for label, algorithm in (("ACS3", None), ("ROA v2 signature", "v2")):
        run.succeeds(
            f"cs DescribeClusterDetail ({label}; path parameter with '/', space, non-ASCII)",
            lambda algorithm=algorithm: check(
                CsClient(config(host, signature_algorithm=algorithm)).describe_cluster_detail(
                    "c82e6987e2961451182edacd74faf/ü 1"
                ),
                "DescribeClusterDetail",
                m.DescribeClusterDetailResponseBody,
            ),
        )
    run.succeeds(
        "cs DescribeClustersV1 (query)",
        lambda: check(
            client.describe_clusters_v1(
                m.DescribeClustersV1Request(
                    name="cluster-demo", cluster_type="ManagedKubernetes", page_size=10, page_number=1, region_id=REGION
                )
            ),
            "DescribeClustersV1",
            m.DescribeClustersV1ResponseBody,
        ),
    )
    run.succeeds(
        "cs DeleteCluster (DELETE, json-style lists in the query, a boolean)",
        lambda: check(
            client.delete_cluster(
                "c82e6987e2961451182edacd74faf****",
                m.DeleteClusterRequest(
                    retain_all_resources=False,
                    retain_resources=["sg-2ze6ess9kho6fdn9****", "lb-2ze6ess9kho6fdn9****"],
                    delete_options=[m.DeleteClusterRequestDeleteOptions(resource_type="SLB", delete_mode="retain")],
                ),
            ),
            "DeleteCluster",
            m.DeleteClusterResponseBody,
        ),
    )
    for label, algorithm in (("ACS3", None), ("ROA v2 signature", "v2")):
            run.succeeds(
            f"cs ModifyCluster ({label}; PUT, JSON body with nested objects)",
            lambda algorithm=algorithm: check(
                CsClient(config(host, signature_algorithm=algorithm)).modify_cluster(
                    "c82e6987e2961451182edacd74faf****",
                    m.ModifyClusterRequest(
                        api_server_eip=True,
                        api_server_eip_id="eip-wz9fnasl6dsfhmvci****",
                        deletion_protection=True,
                        instance_deletion_protection=False,
                        resource_group_id="rg-acfmyvw3wjm****",
                        maintenance_window=m.MaintenanceWindow(
                            enable=True, maintenance_time="2020-10-15T12:31:00.000+08:00", duration="3h", weekly_period="Monday,Thursday"
                        ),
                        operation_policy=m.ModifyClusterRequestOperationPolicy(
                            cluster_auto_upgrade=m.ModifyClusterRequestOperationPolicyClusterAutoUpgrade(enabled=True, channel="stable")
                        ),
                        api_server_custom_cert_sans=m.ModifyClusterRequestApiServerCustomCertSans(
                            action="append", subject_alternative_names=["example.com", "10.0.0.1"]
                        ),
                    ),
                ),
                "ModifyCluster",
                m.ModifyClusterResponseBody,
            ),
        )
    run.succeeds(
        "cs DescribeClusterUserKubeconfig (path, boolean and integer query)",
        lambda: check(
            client.describe_cluster_user_kubeconfig(
                "c5b5e80b0b64a4bf6939d2d8fbbc5****",
                m.DescribeClusterUserKubeconfigRequest(private_ip_address=True, temporary_duration_minutes=60),
            ),
            "DescribeClusterUserKubeconfig",
            m.DescribeClusterUserKubeconfigResponseBody,
        ),
    )
    run.succeeds(
        "cs ScaleClusterNodePool (two path parameters, JSON body)",
        lambda: check(
            client.scale_cluster_node_pool(
                "c5b5e80b0b64a4bf6939d2d8fbbc5****",
                "np615c0e0966124216a0412e10afe0****",
                m.ScaleClusterNodePoolRequest(count=3),
            ),
            "ScaleClusterNodePool",
            m.ScaleClusterNodePoolResponseBody,
        ),
    )
    run.succeeds(
        "cs ListTagResources (json-style lists of strings and objects)",
        lambda: check(
            client.list_tag_resources(
                m.ListTagResourcesRequest(
                    region_id=REGION,
                    resource_type="CLUSTER",
                    resource_ids=["c5b5e80b0b64a4bf6939d2d8fbbc5****", "c6b5e80b0b64a4bf6939d2d8fbbc5****"],
                    tags=[m.Tag(key="env", value="interop"), m.Tag(key="team", value="ci")],
                )
            ),
            "ListTagResources",
            m.ListTagResourcesResponseBody,
        ),
    )

    for label, algorithm in (("ACS3", None), ("ROA v2 signature", "v2")):
        run.denied(
            f"cs DescribeClusterDetail ({label}), wrong secret",
            lambda algorithm=algorithm: auth_failure(
                lambda: CsClient(config(host, WRONG_SECRET, algorithm)).describe_cluster_detail("c82e6987e2961451182edacd74faf****")
            ),
        )


# ---------------------------------------------------------------------------------------------------
# cloudcontrol 2022-08-30 (ROA, whole-path actions). The Rust test makes the same calls with the same
# values (client tokens included), so the two request lines can be compared.

CC_RESOURCES = "/api/v1/providers/Aliyun/products/Redis/resources/DBInstance"
CC_ACCOUNT = f"{CC_RESOURCES}/r-8vbf5abe31c9c4d4/Account"


def cloudcontrol_calls(run, host, examples):
    m = cc_models
    client = CloudControlClient(config(host))

    def check(response, action, body_class):
        return same_as_example(response, body_class, examples.get("cloudcontrol", action), rpc=False)

    run.succeeds(
        "cloudcontrol CreateResource (whole request path, JSON body)",
        lambda: check(
            client.create_resource(
                CC_ACCOUNT,
                m.CreateResourceRequest(
                    region_id=REGION,
                    client_token="interop-token-create",
                    body={"AccountName": "cctest", "AccountPassword": "Aa1234****"},
                ),
            ),
            "CreateResource",
            m.CreateResourceResponseBody,
        ),
    )
    run.succeeds(
        "cloudcontrol GetResources (whole request path, json-style filter)",
        lambda: check(
            client.get_resources(
                CC_RESOURCES,
                m.GetResourcesRequest(region_id=REGION, filter={"EditionType": "Community"}, max_results=10),
            ),
            "GetResources",
            m.GetResourcesResponseBody,
        ),
    )
    run.succeeds(
        "cloudcontrol DeleteResource (DELETE, whole request path)",
        lambda: check(
            client.delete_resource(
                f"{CC_ACCOUNT}/cctest",
                m.DeleteResourceRequest(region_id=REGION, client_token="interop-token-delete"),
            ),
            "DeleteResource",
            m.DeleteResourceResponseBody,
        ),
    )
    run.succeeds(
        "cloudcontrol GetTask (an ordinary path parameter)",
        lambda: check(client.get_task("task-433aead756057fff8189a7ce5"), "GetTask", m.GetTaskResponseBody),
    )
    run.denied(
        "cloudcontrol GetResources, wrong secret",
        lambda: auth_failure(
            lambda: CloudControlClient(config(host, WRONG_SECRET)).get_resources(
                CC_RESOURCES, m.GetResourcesRequest(region_id=REGION)
            )
        ),
    )


SERVICES = {"ecs": ecs_calls, "cs": cs_calls, "cloudcontrol": cloudcontrol_calls}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--endpoint", required=True, help="the fake's URL, http://127.0.0.1:PORT")
    parser.add_argument("--specs", required=True, type=Path, help="the specs the fake serves (tests/interop/specs)")
    parser.add_argument(
        "--services", default="ecs,cs", help=f"comma-separated, of {', '.join(SERVICES)} (default ecs,cs)"
    )
    args = parser.parse_args()
    url = urlparse(args.endpoint)
    if url.scheme != "http" or not url.hostname or not url.port:
        parser.error(f"--endpoint must be http://HOST:PORT, not {args.endpoint!r}")
    host = f"{url.hostname}:{url.port}"
    unknown = [s for s in args.services.split(",") if s not in SERVICES]
    if unknown:
        parser.error(f"unknown service(s) {', '.join(unknown)} (known: {', '.join(SERVICES)})")
    # The fake is on this machine: never through a proxy.
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = ",".join(filter(None, [os.environ.get(name), url.hostname, "localhost"]))

    examples = Examples(args.specs)
    run = Run()
    started = time.monotonic()
    for service in args.services.split(","):
        SERVICES[service](run, host, examples)

    print(f"sdk interop: {run.ok} calls ok, {run.auth_failures} auth failures as expected", flush=True)
    print(f"sdk interop: {time.monotonic() - started:.2f} s", flush=True)
    if run.failures:
        print(f"sdk interop: {len(run.failures)} failed: {', '.join(run.failures)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
