//! Paginators, runnable with nothing but this repository: `cargo run -p cloudspec-tests --example
//! paginate`. It starts the fake cloud on 127.0.0.1 with the paged specs of `tests/paging-specs`, gives
//! the instance lists 250 items each, and pages through Tencent cvm `DescribeInstances` (offset) and
//! Alibaba ecs `DescribeInstances` (page number) with the clients generated from those specs. Point
//! `Config::with_endpoint_url` elsewhere (or drop it) to page a real account.

use futures::{StreamExt, TryStreamExt};

use cloudspec_fake::{DEFAULT_ID, DEFAULT_SECRET, FakeCloud, LastToken, ListRule, Settings};
use cloudspec_runtime::{Config, Credentials, Error};
use cloudspec_tests::paging::alibabacloud::ecs::v20140526 as ecs;
use cloudspec_tests::paging::tencentcloud::cvm::v20170312 as cvm;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("paging-specs");
    let fake = FakeCloud::start_from(specs, "127.0.0.1:0".parse()?, Settings::default()).await?;
    fake.set_list(ListRule { action: "DescribeInstances".into(), length: 250, last_token: LastToken::Absent });
    let config = |region: &str| -> Result<Config, Box<dyn std::error::Error>> {
        Ok(Config::new()
            .with_endpoint_url(fake.url())
            .with_region(region)
            .with_credentials(Credentials::new(DEFAULT_ID, DEFAULT_SECRET)?))
    };

    // Tencent: every instance, 100 a page (`Offset` advances by what each page held, up to `TotalCount`).
    let tencent = cvm::Client::new(config("ap-guangzhou")?);
    let request = cvm::DescribeInstancesRequest::builder().build()?;
    let mut instances = tencent.describe_instances_items(request).page_size(100);
    let mut count = 0;
    while let Some(instance) = instances.try_next().await? {
        count += 1;
        if count == 1 {
            println!("Tencent: first instance {}", instance.instance_id);
        }
    }
    println!("Tencent: {count} instances in {} requests", fake.processed("DescribeInstances"));

    // Alibaba: whole pages (`PageNumber` 1, 2, … until the pages cover `TotalCount`); a total that changes
    // while paging is an `Error::TotalChanged` item the loop may skip.
    let alibaba = ecs::Client::new(config("cn-hangzhou")?);
    let request = ecs::DescribeInstancesRequest::builder().region_id("cn-hangzhou").build()?;
    let mut pages = alibaba.describe_instances_pages(request).page_size(50);
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                let items = page.instances.and_then(|i| i.instance).map_or(0, |i| i.len());
                println!("Alibaba: page {:?}: {items} instances of {:?}", page.page_number, page.total_count);
            }
            Err(Error::TotalChanged { before, after, .. }) => println!("Alibaba: the list changed: {before} → {after}"),
            Err(error) => return Err(error.into()),
        }
    }
    fake.stop().await;
    Ok(())
}
