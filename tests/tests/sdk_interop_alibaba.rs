//! The official Alibaba Cloud Python SDKs of ecs 2014-05-26 (RPC) and cs 2015-12-15 (ROA) work against
//! `cloudspec serve`, and so do the Rust clients cloudspec generates from the same specs.
//!
//! The specs are `tests/interop/specs/alibabacloud/{ecs,cs}`, imported by `cloudspec import alibaba` from
//! the Openmeta excerpts in `tests/import/alibaba-interop/` (see its README), and generated into this
//! crate by `build.rs` (`cloudspec_tests::alibaba_interop`).
//!
//! The Python half runs `tests/interop/setup.sh` (a virtualenv with the pinned official packages, from
//! PyPI on the first run), starts the fake in-process on 127.0.0.1 and runs
//! `tests/interop/sdk_interop_alibaba.py` against it: every call must verify and return the documented
//! example, a wrong secret must get `SignatureDoesNotMatch`, and the fake's log must show every call with
//! the parameters it was given. A missing Python, PyPI or package fails the test; it never skips (as
//! `sdk_interop.rs`).
//!
//! The Rust half needs two other branches: the cs (ROA) client calls need ROA request building in the
//! runtime (branch `roa`), and the specs are `cloudspec import alibaba`'s output (branch `alibaba`,
//! checked by `import_alibaba_interop.rs`).

mod interop_common;

use interop_common::{ScriptRun, run_script, set_up};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cloudspec_apis::{Config, Credentials, Error, RetryPolicy};
use cloudspec_fake::{DEFAULT_ID, DEFAULT_SECRET, FakeCloud, LogEntry, Settings};
use cloudspec_tests::alibaba_interop::alibabacloud::cs::v20151215 as cs;
use cloudspec_tests::alibaba_interop::alibabacloud::ecs::v20140526 as ecs;

/// Successful calls the script makes: 7 ecs (DescribeRegions twice: ACS3 and the legacy RPC signature)
/// and 9 cs (DescribeClusterDetail and ModifyCluster twice: ACS3 and the legacy ROA signature).
const CALLS_OK: u64 = 16;
/// Calls signed with a wrong secret: ecs DescribeRegions and cs DescribeClusterDetail, each with ACS3
/// and with the legacy signature.
const AUTH_FAILURES: u64 = 4;
/// Actions the script calls twice (both signatures).
const TWICE: &[&str] = &["DescribeRegions", "DescribeClusterDetail", "ModifyCluster"];

/// What each processed call must have carried (the action's parameters, by wire name): the proof that
/// lists, flat and JSON-style objects, path parameters and JSON bodies arrived where the spec says.
/// The client-token field the committed ecs spec names for an action, if any.
fn client_token_of(action: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("interop/specs/alibabacloud/ecs/2014-05-26.json");
    let spec: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    spec["actions"][action]["idempotency_token"].as_str().map(str::to_string)
}

const PYTHON_PARAMS: &[(&str, &[&str])] = &[
    ("DescribeRegions", &["InstanceChargeType", "ResourceType", "AcceptLanguage"]),
    (
        "DescribeInstances",
        &[
            "RegionId",
            "InstanceIds",
            "PageNumber",
            "PageSize",
            // `Filter.1.Key` and `Filter.1.Value` on the wire: one list parameter in the spec.
            "Filter",
            "DryRun",
            "Tag",
            "Ipv6Address",
        ],
    ),
    ("TagResources", &["RegionId", "ResourceType", "ResourceId", "Tag"]),
    (
        "ModifyInstanceAttribute",
        &[
            "InstanceId",
            "InstanceName",
            "DeletionProtection",
            "SecurityGroupIds",
            "RemoteConnectionOptions",
            "CpuOptions.Core",
            "CpuOptions.ThreadsPerCore",
            "PrivateDnsNameOptions",
        ],
    ),
    ("AuthorizeSecurityGroup", &["RegionId", "SecurityGroupId", "Permissions"]),
    ("RunCommand", &["RegionId", "CommandContent", "Type", "Timeout", "EnableParameter", "Parameters", "InstanceId"]),
    ("DescribeClusterDetail", &["ClusterId"]),
    ("DescribeClustersV1", &["name", "cluster_type", "page_size", "page_number", "region_id"]),
    ("DeleteCluster", &["ClusterId", "retain_all_resources", "retain_resources", "delete_options"]),
    ("ModifyCluster", &["ClusterId", "body"]),
    ("DescribeClusterUserKubeconfig", &["ClusterId", "PrivateIpAddress", "TemporaryDurationMinutes"]),
    ("ScaleClusterNodePool", &["ClusterId", "NodepoolId", "body"]),
    ("ListTagResources", &["resource_ids", "resource_type", "region_id", "tags"]),
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the workspace").to_path_buf()
}

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("interop/specs")
}

async fn fake() -> FakeCloud {
    let set = cloudspec::load::load(&[specs()]).expect("the interop specs load");
    FakeCloud::start(&set, "127.0.0.1:0".parse().unwrap(), Settings::default())
        .await
        .expect("the fake starts on 127.0.0.1")
}

/// The processed entries of `action`.
fn processed<'a>(log: &'a [LogEntry], action: &str) -> Vec<&'a LogEntry> {
    log.iter().filter(|e| e.processed && e.action.as_deref() == Some(action)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_ecs_and_cs_python_sdks_work_against_the_fake() {
    let started = Instant::now();
    let root = workspace();

    set_up(&root).await;
    let setup_time = started.elapsed();

    let fake = fake().await;
    let ScriptRun { ok, denied, stdout } = run_script(
        &root,
        "sdk_interop_alibaba.py",
        vec!["--endpoint".into(), fake.url().into(), "--specs".into(), specs().into()],
    )
    .await;
    assert_eq!((ok, denied), (CALLS_OK, AUTH_FAILURES), "not every call was made:\n{stdout}");

    // The fake saw the same: every valid call authenticated, validated and processed with the parameters
    // it was given, every wrong secret refused by the signature check, and nothing else.
    let log = fake.log();
    let done: Vec<_> = log.iter().filter(|entry| entry.processed).collect();
    assert_eq!(done.len() as u64, CALLS_OK, "processed requests: {log:#?}");
    assert!(done.iter().all(|entry| entry.error.is_none() && entry.status == 200), "{log:#?}");
    for (action, params) in PYTHON_PARAMS {
        let entries = processed(&log, action);
        let expected = if TWICE.contains(action) { 2 } else { 1 };
        assert_eq!(entries.len(), expected, "{action}: {log:#?}");
        for entry in entries {
            let mut got = entry.params.clone();
            let mut want: Vec<String> = params.iter().map(|p| p.to_string()).collect();
            got.sort();
            want.sort();
            assert_eq!(got, want, "the parameters {action} carried");
        }
    }
    let mut refused: BTreeMap<(String, String), usize> = BTreeMap::new();
    for entry in log.iter().filter(|entry| !entry.processed) {
        let key = (entry.action.clone().unwrap_or_default(), entry.error.clone().unwrap_or_default());
        *refused.entry(key).or_default() += 1;
    }
    let expected: BTreeMap<(String, String), usize> =
        [(("DescribeRegions", "SignatureDoesNotMatch"), 2), (("DescribeClusterDetail", "SignatureDoesNotMatch"), 2)]
            .into_iter()
            .map(|((action, code), count)| ((action.to_string(), code.to_string()), count))
            .collect();
    assert_eq!(refused, expected, "refused requests: {log:#?}");
    fake.stop().await;

    // Shown by `cargo test -- --nocapture`.
    println!("{stdout}");
    println!("setup.sh {setup_time:.1?}, whole test {:.1?}", started.elapsed());
}

fn config(fake: &FakeCloud) -> Config {
    Config::new()
        .with_endpoint_url(fake.url())
        .with_credentials(Credentials::new(DEFAULT_ID, DEFAULT_SECRET).unwrap())
        .with_region("cn-hangzhou")
        .with_retry(RetryPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
}

/// The documented example of an ecs action.
fn example(action: &str) -> String {
    example_of("ecs/2014-05-26", action)
}

/// The documented example of `action` of `service` (`cs/2015-12-15`).
fn example_of(service: &str, action: &str) -> String {
    let path = specs().join(format!("alibabacloud/{service}.json"));
    let spec: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    spec["actions"][action]["examples"][0]["output"].as_str().expect("a documented example").to_string()
}

/// The response, as Debug text without its request id, is the documented example's.
macro_rules! assert_example {
    ($response:expr, $action:literal, $ty:ty, $error:ty) => {{
        let mut got = $response;
        assert!(got.request_id.as_deref().is_some_and(|id| !id.is_empty()), "no RequestId");
        got.request_id = None;
        let mut want = cloudspec_runtime::envelope::decode::<$ty, $error>(
            cloudspec_runtime::envelope::Protocol::AlibabaRpc,
            200,
            example($action).as_bytes(),
        )
        .unwrap_or_else(|e| panic!("the example of {} does not decode: {e:?}", $action));
        want.request_id = None;
        assert_eq!(format!("{got:?}"), format!("{want:?}"), "{} did not answer its documented example", $action);
    }};
}

/// The generated ecs client (RPC) calls the same six actions on the fake, with the same parameter shapes
/// (repeatList strings and objects, flat objects and lists of objects, a JSON-style object, dotted names).
#[tokio::test]
async fn the_generated_ecs_client_calls_the_same_actions() {
    let fake = fake().await;
    let client = ecs::Client::new(config(&fake));

    let regions = ecs::DescribeRegionsRequest::builder()
        .instance_charge_type("PrePaid")
        .resource_type("instance")
        .accept_language("en-US")
        .build()
        .unwrap();
    assert_example!(
        client.describe_regions(regions).await.unwrap(),
        "DescribeRegions",
        ecs::DescribeRegionsResponse,
        ecs::DescribeRegionsError
    );

    let instances = ecs::DescribeInstancesRequest::builder()
        .region_id("cn-hangzhou")
        .instance_ids(r#"["i-bp67acfmxazb4p****","i-bp67acfmxazb5p****"]"#)
        .page_number(1)
        .page_size(10)
        .filter(vec![
            ecs::DescribeInstancesFilter::builder()
                .key("CreationStartTime")
                .value("2017-12-05T22:40Z")
                .build()
                .unwrap(),
        ])
        .dry_run(false)
        .tag(vec![
            ecs::DescribeInstancesTag::builder().key("env").value("interop").build().unwrap(),
            ecs::DescribeInstancesTag::builder().key("team").build().unwrap(),
        ])
        .ipv6_address(vec!["2001:db8::1".to_string(), "2001:db8::2".to_string()])
        .build()
        .unwrap();
    assert_example!(
        client.describe_instances(instances).await.unwrap(),
        "DescribeInstances",
        ecs::DescribeInstancesResponse,
        ecs::DescribeInstancesError
    );

    let tag = ecs::TagResourcesRequest::builder()
        .region_id("cn-hangzhou")
        .resource_type("instance")
        .resource_id(vec!["i-bp1j6qtvdm8KcXxx****".to_string(), "i-bp1j6qtvdm8KcYyy****".to_string()])
        .tag(vec![
            ecs::TagResourcesTag::builder().key("env").value("interop").build().unwrap(),
            ecs::TagResourcesTag::builder().key("owner").value("ci").build().unwrap(),
        ])
        .build()
        .unwrap();
    assert_example!(
        client.tag_resources(tag).await.unwrap(),
        "TagResources",
        ecs::TagResourcesResponse,
        ecs::TagResourcesError
    );

    let modify = ecs::ModifyInstanceAttributeRequest::builder()
        .instance_id("i-bp67acfmxazb4p****")
        .instance_name("interop-é 1")
        .deletion_protection(true)
        .security_group_ids(vec!["sg-bp15ed6xe1yxeycg7o****".to_string(), "sg-bp15ed6xe1yxeycg8o****".to_string()])
        .remote_connection_options(
            ecs::ModifyInstanceAttributeRemoteConnectionOptions::builder()
                .password("Interop-Pass-123")
                .r#type("vnc")
                .build()
                .unwrap(),
        )
        .private_dns_name_options(
            ecs::ModifyInstanceAttributePrivateDnsNameOptions::builder()
                .hostname_type("Custom")
                .enable_instance_id_dns_a_record(true)
                .build()
                .unwrap(),
        )
        .cpu_options_core(2)
        .cpu_options_threads_per_core(2)
        .build()
        .unwrap();
    assert_example!(
        client.modify_instance_attribute(modify).await.unwrap(),
        "ModifyInstanceAttribute",
        ecs::ModifyInstanceAttributeResponse,
        ecs::ModifyInstanceAttributeError
    );

    let authorize = ecs::AuthorizeSecurityGroupRequest::builder()
        .region_id("cn-hangzhou")
        .security_group_id("sg-bp67acfmxazb4p****")
        .permissions(vec![
            ecs::AuthorizeSecurityGroupPermissions::builder()
                .ip_protocol("TCP")
                .port_range("22/22")
                .source_cidr_ip("10.0.0.0/8")
                .policy("accept")
                .priority("1")
                .build()
                .unwrap(),
            ecs::AuthorizeSecurityGroupPermissions::builder()
                .ip_protocol("ICMP")
                .port_range("-1/-1")
                .source_cidr_ip("0.0.0.0/0")
                .description("ping")
                .build()
                .unwrap(),
        ])
        .build()
        .unwrap();
    assert_example!(
        client.authorize_security_group(authorize).await.unwrap(),
        "AuthorizeSecurityGroup",
        ecs::AuthorizeSecurityGroupResponse,
        ecs::AuthorizeSecurityGroupError
    );

    let command = ecs::RunCommandRequest::builder()
        .region_id("cn-hangzhou")
        .r#type("RunShellScript")
        .command_content("echo {{name}}")
        .instance_id(vec!["i-bp185dy2o3o6neg****".to_string(), "i-bp185dy2o3o6nef****".to_string()])
        .enable_parameter(true)
        .parameters(serde_json::json!({"name": "interop", "count": 2, "nested": {"ok": true}}))
        .timeout(60)
        .build()
        .unwrap();
    assert_example!(
        client.run_command(command).await.unwrap(),
        "RunCommand",
        ecs::RunCommandResponse,
        ecs::RunCommandError
    );

    // The fake read every parameter where the Python SDK sent it: the same names.
    let log = fake.log();
    for (action, params) in PYTHON_PARAMS.iter().take(6) {
        let entries = processed(&log, action);
        assert_eq!(entries.len(), 1, "{action}: {log:#?}");
        let mut got = entries[0].params.clone();
        let mut want: Vec<String> = params.iter().map(|p| p.to_string()).collect();
        // The Python call also sets InstanceChargeType etc. the same way; DryRun is sent by both.
        // Our client fills the action's client token when the caller leaves it out (the Python SDK
        // sends none): it is what makes the write safe to retry.
        if !want.iter().any(|p| p == "ClientToken") && got.iter().any(|p| p == "ClientToken") {
            assert_eq!(
                client_token_of(action).as_deref(),
                Some("ClientToken"),
                "{action} carried a token it does not take"
            );
            got.retain(|p| p != "ClientToken");
        }
        got.sort();
        want.sort();
        assert_eq!(got, want, "the parameters {action} carried");
    }

    // A wrong secret.
    let wrong = config(&fake).with_credentials(Credentials::new(DEFAULT_ID, "not-the-secret").unwrap());
    let error = ecs::Client::new(wrong)
        .describe_regions(ecs::DescribeRegionsRequest::builder().build().unwrap())
        .await
        .unwrap_err();
    let Error::Service(error) = error else { panic!("expected a service error, got {error:?}") };
    assert_eq!(error.code(), "SignatureDoesNotMatch");
    fake.stop().await;
}

/// A ROA response is the documented example as it is (no envelope, no request id to replace).
macro_rules! assert_roa_example {
    ($response:expr, $action:literal, $ty:ty, $error:ty) => {{
        let got = $response;
        let want = cloudspec_runtime::envelope::decode::<$ty, $error>(
            cloudspec_runtime::envelope::Protocol::AlibabaRoa,
            200,
            example_of("cs/2015-12-15", $action).as_bytes(),
        )
        .unwrap_or_else(|e| panic!("the example of {} does not decode: {e:?}", $action));
        assert_eq!(format!("{got:?}"), format!("{want:?}"), "{} did not answer its documented example", $action);
    }};
}

/// The generated cs client (ROA: path parameters, query, JSON bodies) calls the same seven actions as the
/// Python SDK, with the same parameter shapes, and the fake reads the same parameters from each.
#[tokio::test]
async fn the_generated_cs_client_calls_the_same_actions() {
    let fake = fake().await;
    let client = cs::Client::new(config(&fake));

    // A path parameter with `/`, a space and non-ASCII text: one segment, percent-encoded.
    let detail =
        cs::DescribeClusterDetailRequest::builder().cluster_id("c82e6987e2961451182edacd74faf/ü 1").build().unwrap();
    assert_roa_example!(
        client.describe_cluster_detail(detail).await.unwrap(),
        "DescribeClusterDetail",
        cs::DescribeClusterDetailResponse,
        cs::DescribeClusterDetailError
    );

    let clusters = cs::DescribeClustersV1Request::builder()
        .name("cluster-demo")
        .cluster_type("ManagedKubernetes")
        .page_size(10)
        .page_number(1)
        .region_id("cn-hangzhou")
        .build()
        .unwrap();
    assert_roa_example!(
        client.describe_clusters_v1(clusters).await.unwrap(),
        "DescribeClustersV1",
        cs::DescribeClustersV1Response,
        cs::DescribeClustersV1Error
    );

    let delete = cs::DeleteClusterRequest::builder()
        .cluster_id("c82e6987e2961451182edacd74faf****")
        .retain_all_resources(false)
        .retain_resources(vec!["sg-2ze6ess9kho6fdn9****".to_string(), "lb-2ze6ess9kho6fdn9****".to_string()])
        .delete_options(vec![
            cs::DeleteClusterDeleteOptions::builder().resource_type("SLB").delete_mode("retain").build().unwrap(),
        ])
        .build()
        .unwrap();
    assert_roa_example!(
        client.delete_cluster(delete).await.unwrap(),
        "DeleteCluster",
        cs::DeleteClusterResponse,
        cs::DeleteClusterError
    );

    let body = cs::ModifyClusterBody::builder()
        .api_server_eip(true)
        .api_server_eip_id("eip-wz9fnasl6dsfhmvci****")
        .deletion_protection(true)
        .resource_group_id("rg-acfmyvw3wjm****")
        .maintenance_window(
            cs::MaintenanceWindow::builder()
                .enable(true)
                .maintenance_time("2020-10-15T12:31:00.000+08:00")
                .duration("3h")
                .weekly_period("Monday,Thursday")
                .build()
                .unwrap(),
        )
        .operation_policy(
            cs::ModifyClusterBodyOperationPolicy::builder()
                .cluster_auto_upgrade(
                    cs::ModifyClusterBodyOperationPolicyClusterAutoUpgrade::builder()
                        .enabled(true)
                        .channel("stable")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .api_server_custom_cert_sans(
            cs::ModifyClusterBodyApiServerCustomCertSans::builder()
                .action(cs::ModifyClusterBodyApiServerCustomCertSansAction::Append)
                .subject_alternative_names(vec!["example.com".to_string(), "10.0.0.1".to_string()])
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let modify =
        cs::ModifyClusterRequest::builder().cluster_id("c82e6987e2961451182edacd74faf****").body(body).build().unwrap();
    assert_roa_example!(
        client.modify_cluster(modify).await.unwrap(),
        "ModifyCluster",
        cs::ModifyClusterResponse,
        cs::ModifyClusterError
    );

    let kubeconfig = cs::DescribeClusterUserKubeconfigRequest::builder()
        .cluster_id("c5b5e80b0b64a4bf6939d2d8fbbc5****")
        .private_ip_address(true)
        .temporary_duration_minutes(60)
        .build()
        .unwrap();
    assert_roa_example!(
        client.describe_cluster_user_kubeconfig(kubeconfig).await.unwrap(),
        "DescribeClusterUserKubeconfig",
        cs::DescribeClusterUserKubeconfigResponse,
        cs::DescribeClusterUserKubeconfigError
    );

    let scale = cs::ScaleClusterNodePoolRequest::builder()
        .cluster_id("c5b5e80b0b64a4bf6939d2d8fbbc5****")
        .nodepool_id("np615c0e0966124216a0412e10afe0****")
        .body(cs::ScaleClusterNodePoolBody::builder().count(3).build().unwrap())
        .build()
        .unwrap();
    assert_roa_example!(
        client.scale_cluster_node_pool(scale).await.unwrap(),
        "ScaleClusterNodePool",
        cs::ScaleClusterNodePoolResponse,
        cs::ScaleClusterNodePoolError
    );

    let tags = cs::ListTagResourcesRequest::builder()
        .region_id("cn-hangzhou")
        .resource_type("CLUSTER")
        .resource_ids(vec![
            "c5b5e80b0b64a4bf6939d2d8fbbc5****".to_string(),
            "c6b5e80b0b64a4bf6939d2d8fbbc5****".to_string(),
        ])
        .tags(vec![
            cs::Tag::builder().key("env").value("interop").build().unwrap(),
            cs::Tag::builder().key("team").value("ci").build().unwrap(),
        ])
        .build()
        .unwrap();
    assert_roa_example!(
        client.list_tag_resources(tags).await.unwrap(),
        "ListTagResources",
        cs::ListTagResourcesResponse,
        cs::ListTagResourcesError
    );

    // The fake read every parameter where the Python SDK sent it: the same names.
    let log = fake.log();
    for (action, params) in PYTHON_PARAMS.iter().skip(6) {
        let entries = processed(&log, action);
        assert_eq!(entries.len(), 1, "{action}: {log:#?}");
        let mut got = entries[0].params.clone();
        let mut want: Vec<String> = params.iter().map(|p| p.to_string()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "the parameters {action} carried");
    }

    // A wrong secret.
    let wrong = config(&fake).with_credentials(Credentials::new(DEFAULT_ID, "not-the-secret").unwrap());
    let request = cs::DescribeClusterDetailRequest::builder().cluster_id("c82e6987e2961451182edacd74faf****").build();
    let error = cs::Client::new(wrong).describe_cluster_detail(request.unwrap()).await.unwrap_err();
    let Error::Service(error) = error else { panic!("expected a service error, got {error:?}") };
    assert_eq!(error.code(), "SignatureDoesNotMatch");
    fake.stop().await;
}
