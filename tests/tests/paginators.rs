//! Paginators against the fake cloud (in-process, on 127.0.0.1): every kind of paging (offset, page
//! number, token) of both providers pages through lists of 0, 1, exactly one page, one more than a
//! page and 10,000 items, returning every item exactly once in as many requests as the end condition
//! allows; a total that changes between pages is reported (and can be allowed); every page is retried
//! like a plain call; a dropped stream sends no further request; the page size is bounded.

use std::net::SocketAddr;
use std::time::Duration;

use futures::{Stream, StreamExt, TryStreamExt};

use cloudspec_fake::{DEFAULT_ID, DEFAULT_SECRET, FakeCloud, Fault, FaultRule, LastToken, ListRule, Settings};
use cloudspec_runtime::{Config, Credentials, Error, RetryPolicy};
use cloudspec_tests::paging::alibabacloud::ecs::v20140526 as ecs;
use cloudspec_tests::paging::alibabacloud::servicemesh::v20200111 as mesh;
use cloudspec_tests::paging::tencentcloud::cam::v20190116 as cam;
use cloudspec_tests::paging::tencentcloud::cvm::v20170312 as cvm;
use cloudspec_tests::paging::tencentcloud::tag::v20180813 as tag;

async fn fake() -> FakeCloud {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("paging-specs");
    let address: SocketAddr = "127.0.0.1:0".parse().unwrap();
    FakeCloud::start_from(specs, address, Settings::default()).await.unwrap()
}

fn config(fake: &FakeCloud, region: &str) -> Config {
    Config::new()
        .with_endpoint_url(fake.url())
        .with_credentials(Credentials::new(DEFAULT_ID, DEFAULT_SECRET).unwrap())
        .with_region(region)
        .with_retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
}

/// One paged action of the specs, with its kind of paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paged {
    /// Tencent, offset with a total.
    CvmInstances,
    /// Tencent, token.
    TagResources,
    /// Tencent, page number with a total.
    CamPolicies,
    /// Alibaba, page number with a total, items in `Instances.Instance`.
    EcsInstances,
    /// Alibaba, token with a total, an empty token on the last page.
    EcsDisks,
    /// Alibaba, offset without a total: the list ends on an empty page.
    MeshClusters,
}

const ALL: [Paged; 6] = [
    Paged::CvmInstances,
    Paged::TagResources,
    Paged::CamPolicies,
    Paged::EcsInstances,
    Paged::EcsDisks,
    Paged::MeshClusters,
];

type Ids = std::pin::Pin<Box<dyn Stream<Item = Result<String, String>> + Send>>;

fn ids<T: 'static, E: std::fmt::Display + 'static>(
    stream: impl Stream<Item = Result<T, Error<E>>> + Send + 'static,
    id: fn(T) -> String,
) -> Ids {
    Box::pin(stream.map(move |item| item.map(id).map_err(|e| e.to_string())))
}

impl Paged {
    fn action(self) -> &'static str {
        match self {
            Paged::CvmInstances | Paged::EcsInstances => "DescribeInstances",
            Paged::TagResources => "GetResources",
            Paged::CamPolicies => "ListPolicies",
            Paged::EcsDisks => "DescribeDisks",
            Paged::MeshClusters => "DescribeServiceMeshClusters",
        }
    }

    /// The id the fake gives the `index`th item.
    fn id(self, index: usize) -> String {
        match self {
            Paged::CvmInstances | Paged::EcsInstances => format!("InstanceId-{index}"),
            Paged::TagResources => format!("Resource-{index}"),
            Paged::CamPolicies => format!("PolicyName-{index}"),
            Paged::EcsDisks => format!("DiskId-{index}"),
            Paged::MeshClusters => format!("ClusterId-{index}"),
        }
    }

    /// The requests a list of `length` items takes at `size` per page.
    fn requests(self, length: usize, size: usize) -> usize {
        let pages = length.div_ceil(size).max(1);
        match self {
            // Without a total, only an empty page ends the list.
            Paged::MeshClusters if length > 0 => pages + 1,
            _ => pages,
        }
    }

    /// Every item, through the action's `_items` stream, `size` per page.
    fn items(self, fake: &FakeCloud, size: u64) -> Ids {
        match self {
            Paged::CvmInstances => {
                let client = cvm::Client::new(config(fake, "ap-guangzhou"));
                let request = cvm::DescribeInstancesRequest::builder().build().unwrap();
                ids(client.describe_instances_items(request).page_size(size), |i| i.instance_id)
            }
            Paged::TagResources => {
                let client = tag::Client::new(config(fake, "ap-guangzhou"));
                let request = tag::GetResourcesRequest::builder().build().unwrap();
                ids(client.get_resources_items(request).page_size(size), |r| r.resource)
            }
            Paged::CamPolicies => {
                let client = cam::Client::new(config(fake, "ap-guangzhou"));
                let request = cam::ListPoliciesRequest::builder().build().unwrap();
                ids(client.list_policies_items(request).page_size(size), |p| p.policy_name)
            }
            Paged::EcsInstances => {
                let client = ecs::Client::new(config(fake, "cn-hangzhou"));
                let request = ecs::DescribeInstancesRequest::builder().region_id("cn-hangzhou").build().unwrap();
                ids(client.describe_instances_items(request).page_size(size), |i| i.instance_id)
            }
            Paged::EcsDisks => {
                let client = ecs::Client::new(config(fake, "cn-hangzhou"));
                let request = ecs::DescribeDisksRequest::builder().region_id("cn-hangzhou").build().unwrap();
                ids(client.describe_disks_items(request).page_size(size), |d| d.disk_id)
            }
            Paged::MeshClusters => {
                let client = mesh::Client::new(config(fake, "cn-hangzhou"));
                let request = mesh::DescribeServiceMeshClustersRequest::builder().build().unwrap();
                ids(client.describe_service_mesh_clusters_items(request).page_size(size), |c| c.cluster_id)
            }
        }
    }
}

#[tokio::test]
async fn every_kind_of_both_providers_returns_every_item_exactly_once() {
    let fake = fake().await;
    let mut requests_before = std::collections::HashMap::<&str, usize>::new();
    for paged in ALL {
        let size = 10;
        for (length, size) in [(0, size), (1, size), (size, size), (size + 1, size), (10_000, 100)] {
            // Both ends of a token list: the Alibaba one ends with an empty token, the Tencent one with none.
            let last_token = if paged == Paged::EcsDisks { LastToken::Empty } else { LastToken::Absent };
            fake.set_list(ListRule { action: paged.action().into(), length, last_token });
            let got: Vec<String> = paged.items(&fake, size as u64).try_collect().await.unwrap();
            let expected: Vec<String> = (0..length).map(|i| paged.id(i)).collect();
            assert_eq!(got.len(), length, "{paged:?} with {length} items");
            assert!(got == expected, "{paged:?} with {length} items: not every item exactly once, in order");
            let before = requests_before.entry(paged.action()).or_default();
            let processed = fake.processed(paged.action());
            assert_eq!(
                processed - *before,
                paged.requests(length, size),
                "{paged:?} with {length} items at {size} a page: requests"
            );
            *before = processed;
        }
    }
}

#[tokio::test]
async fn a_null_next_token_ends_the_list_as_an_absent_one_does() {
    let fake = fake().await;
    fake.set_list(ListRule { action: "GetResources".into(), length: 15, last_token: LastToken::Null });
    let got: Vec<String> = Paged::TagResources.items(&fake, 10).try_collect().await.unwrap();
    assert_eq!(got.len(), 15);
    assert_eq!(fake.processed("GetResources"), 2);
}

#[tokio::test]
async fn a_total_that_changes_mid_stream_is_reported_and_the_stream_goes_on() {
    let fake = fake().await;
    fake.set_list(ListRule { action: "DescribeInstances".into(), length: 25, last_token: LastToken::Absent });
    let client = cvm::Client::new(config(&fake, "ap-guangzhou"));
    let request = cvm::DescribeInstancesRequest::builder().build().unwrap();
    let mut pages = client.describe_instances_pages(request.clone()).page_size(10);
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!((first.instance_set.unwrap().len(), first.total_count), (10, Some(25)));
    // Two instances are created while the list is paged.
    fake.set_list(ListRule { action: "DescribeInstances".into(), length: 27, last_token: LastToken::Absent });
    match pages.next().await.unwrap() {
        Err(Error::TotalChanged { action, before, after }) => {
            assert_eq!((action, before, after), ("DescribeInstances", 25, 27));
        }
        other => panic!("expected the changed total, got {other:?}"),
    }
    // The page that showed it follows, and the list goes on to its new end.
    let rest: Vec<cvm::DescribeInstancesResponse> = pages.try_collect().await.unwrap();
    let items: usize = rest.iter().map(|page| page.instance_set.as_ref().map_or(0, Vec::len)).sum();
    assert_eq!(items, 17, "items 10 to 26");
    assert_eq!(fake.processed("DescribeInstances"), 3);

    // With `allow_total_changes`, the same change passes unreported; the Alibaba page-number list too.
    let alibaba = ecs::Client::new(config(&fake, "cn-hangzhou"));
    let request = ecs::DescribeInstancesRequest::builder().region_id("cn-hangzhou").build().unwrap();
    for allow in [false, true] {
        fake.set_list(ListRule { action: "DescribeInstances".into(), length: 30, last_token: LastToken::Absent });
        let mut items = alibaba.describe_instances_items(request.clone()).page_size(10);
        if allow {
            items = items.allow_total_changes();
        }
        let mut seen = Vec::new();
        let mut changes = Vec::new();
        while let Some(item) = items.next().await {
            match item {
                Ok(instance) => seen.push(instance.instance_id),
                Err(Error::TotalChanged { before, after, .. }) => changes.push((before, after)),
                Err(other) => panic!("{other}"),
            }
            if seen.len() == 10 {
                fake.set_list(ListRule {
                    action: "DescribeInstances".into(),
                    length: 5,
                    last_token: LastToken::Absent,
                });
            }
        }
        assert_eq!(seen.len(), 10, "the list shrank to 5 after the first page");
        assert_eq!(changes, if allow { vec![] } else { vec![(30, 5)] });
    }
}

#[tokio::test]
async fn a_stream_dropped_after_the_first_page_sends_no_further_request() {
    let fake = fake().await;
    for paged in ALL {
        fake.set_list(ListRule { action: paged.action().into(), length: 100, last_token: LastToken::Absent });
        let before = fake.processed(paged.action());
        let mut items = paged.items(&fake, 10);
        assert_eq!(items.next().await.unwrap().unwrap(), paged.id(0));
        drop(items);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(fake.processed(paged.action()) - before, 1, "{paged:?}");
    }
    // Nothing is sent before the first poll either.
    let before = fake.log().len();
    let client = cvm::Client::new(config(&fake, "ap-guangzhou"));
    let pages = client.describe_instances_pages(cvm::DescribeInstancesRequest::builder().build().unwrap());
    drop(pages);
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(fake.log().len(), before);
}

#[tokio::test]
async fn every_page_is_retried_and_paced_like_a_plain_call() {
    let fake = fake().await;
    fake.set_list(ListRule { action: "ListPolicies".into(), length: 35, last_token: LastToken::Absent });
    let client = cam::Client::new(config(&fake, "ap-guangzhou"));
    let request = cam::ListPoliciesRequest::builder().build().unwrap();
    let mut items = client.list_policies_items(request).page_size(10);
    for i in 0..10 {
        assert_eq!(items.next().await.unwrap().unwrap().policy_name, format!("PolicyName-{i}"));
    }
    // The second page is throttled once, then retried.
    fake.inject(FaultRule { action: Some("ListPolicies".into()), fault: Fault::Throttle, times: 1 });
    let rest: Vec<String> = items.map_ok(|p| p.policy_name).try_collect().await.unwrap();
    assert_eq!(rest, (10..35).map(|i| format!("PolicyName-{i}")).collect::<Vec<_>>());
    let throttled = fake.log().iter().filter(|e| e.error.as_deref() == Some("RequestLimitExceeded")).count();
    assert_eq!((throttled, fake.processed("ListPolicies")), (1, 4));

    // A page that keeps failing ends the stream after its error.
    fake.inject(FaultRule {
        action: Some("ListPolicies".into()),
        fault: Fault::Error { code: "InternalError".into() },
        times: 5,
    });
    let mut items = client.list_policies_items(cam::ListPoliciesRequest::builder().build().unwrap());
    assert!(matches!(items.next().await, Some(Err(Error::Service(_)))));
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn the_page_size_is_bounded_by_the_documented_maximum() {
    let fake = fake().await;
    fake.set_list(ListRule { action: "DescribeInstances".into(), length: 25, last_token: LastToken::Absent });
    let client = cvm::Client::new(config(&fake, "ap-guangzhou"));
    let request = cvm::DescribeInstancesRequest::builder().build().unwrap();
    for size in [0, 101] {
        let mut pages = client.describe_instances_pages(request.clone()).page_size(size);
        match pages.next().await {
            Some(Err(Error::Validation(error))) => assert!(error.to_string().contains("Limit"), "{error}"),
            other => panic!("page size {size}: {other:?}"),
        }
        assert!(pages.next().await.is_none());
    }
    assert_eq!(fake.processed("DescribeInstances"), 0, "nothing was sent");
    let page = client.describe_instances_pages(request).page_size(100).next().await.unwrap().unwrap();
    assert_eq!(page.instance_set.map(|s| s.len()), Some(25));
}

#[tokio::test]
async fn a_request_that_does_not_validate_is_the_only_item() {
    let fake = fake().await;
    let client = ecs::Client::new(config(&fake, "cn-hangzhou"));
    // `build_unchecked` lets a page size beyond its range through; the paginator validates the request.
    let request =
        ecs::DescribeInstancesRequest::builder().region_id("cn-hangzhou").page_size(500).build_unchecked().unwrap();
    let mut items = client.describe_instances_items(request);
    assert!(matches!(items.next().await, Some(Err(Error::Validation(_)))));
    assert!(items.next().await.is_none());
    assert_eq!(fake.processed("DescribeInstances"), 0);
}

#[tokio::test]
async fn lists_are_sized_over_http_too() {
    let fake = fake().await;
    let http = reqwest::Client::new();
    let rule = serde_json::json!({"action": "DescribeDisks", "length": 12, "last_token": "null"});
    let answer = http.post(format!("{}/_cloudspec/lists", fake.url())).body(rule.to_string()).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let bad = http.post(format!("{}/_cloudspec/lists", fake.url())).body("{\"length\": 1}").send().await.unwrap();
    assert_eq!(bad.status(), 400, "a rule names its action");
    let got: Vec<String> = Paged::EcsDisks.items(&fake, 5).try_collect().await.unwrap();
    assert_eq!(got, (0..12).map(|i| Paged::EcsDisks.id(i)).collect::<Vec<_>>());
    assert_eq!(fake.processed("DescribeDisks"), 3);
}
