//! Unit tests of the naming rules.

use super::*;

#[test]
fn converts_wire_names() {
    assert_eq!(snake("AccessKeyId").unwrap(), "access_key_id");
    assert_eq!(snake("TaskOption.HttpURI").unwrap(), "task_option_http_uri");
    assert_eq!(snake("x-acs-security-token").unwrap(), "x_acs_security_token");
    assert_eq!(snake("5xxPv").unwrap(), "_5xx_pv");
    assert_eq!(camel("FailedOperation.AccessKeyExist").unwrap(), "FailedOperationAccessKeyExist");
    assert!(is_keyword(&snake("Type").unwrap()));
}

#[test]
fn words_read_as_people_read_them() {
    let cases = [
        ("CreateDDoSAi", "create_ddos_ai", "CreateDdosAi"),
        ("Convert3DFormat", "convert_3d_format", "Convert3dFormat"),
        ("DescribeDBInstances", "describe_db_instances", "DescribeDbInstances"),
        ("ModifyIPv6Address", "modify_ipv6_address", "ModifyIpv6Address"),
        ("GetOAuthToken", "get_oauth_token", "GetOauthToken"),
        ("DescribeMySQLInstances", "describe_mysql_instances", "DescribeMysqlInstances"),
        ("CreateL7Rule", "create_l7_rule", "CreateL7Rule"),
        ("HTTPSListener", "https_listener", "HttpsListener"),
        ("ListVPCs", "list_vpcs", "ListVpcs"),
        ("InstanceIDs", "instance_ids", "InstanceIds"),
        ("TaskOption.HttpURI", "task_option_http_uri", "TaskOptionHttpUri"),
        ("x-acs-security-token", "x_acs_security_token", "XAcsSecurityToken"),
        ("AccessKeyId", "access_key_id", "AccessKeyId"),
        ("Ec2Instance", "ec2_instance", "Ec2Instance"),
        ("Ec2VPC", "ec2_vpc", "Ec2Vpc"),
        ("Get3D", "get_3d", "Get3d"),
        ("max_results", "max_results", "MaxResults"),
    ];
    for (wire, snake_name, camel_name) in cases {
        assert_eq!(snake(wire).unwrap(), snake_name, "{wire}");
        assert_eq!(camel(wire).unwrap(), camel_name, "{wire}");
    }
}

#[test]
fn refuses_what_cannot_be_an_identifier() {
    assert_eq!(snake("Self"), Err(NameError::Reserved("self".into())));
    assert_eq!(snake("***"), Err(NameError::Empty));
    assert!(matches!(snake("名称"), Err(NameError::NonAscii(_))));
    assert!(matches!(snake(&"a".repeat(200)), Err(NameError::TooLong(200))));
    assert_eq!(explicit_snake("name_2").unwrap(), "name_2");
    assert!(explicit_snake("2name").is_err());
    assert!(matches!(explicit_snake("Ok"), Err(NameError::WrongCase { .. })));
    assert!(matches!(explicit_snake("a__b"), Err(NameError::WrongCase { .. })));
    assert!(matches!(explicit_camel("some_type"), Err(NameError::WrongCase { .. })));
    assert_eq!(explicit_camel("ECSInstance").unwrap(), "ECSInstance");
}

#[test]
fn generated_names_get_a_suffix_in_their_scope_only() {
    assert_eq!(field("Build", None, Scope::InputFields).unwrap(), "build_value");
    assert_eq!(field("Build", None, Scope::OutputFields).unwrap(), "build");
    assert_eq!(field("ValidateAt", None, Scope::InputFields).unwrap(), "validate_at_value");
    assert_eq!(error_variant("Unknown").unwrap(), "UnknownCode");
    assert_eq!(error_variant("Common").unwrap(), "CommonCode");
    assert_eq!(error_variant("Self").unwrap(), "SelfCode");
    assert_eq!(error_variant("self").unwrap(), "SelfCode");
    assert_eq!(action_static("create_api_key"), "CREATE_API_KEY");
}

#[test]
fn versions_name_modules() {
    assert_eq!(version_module("2018-08-08"), "v20180808");
    assert_eq!(version_module("20240611"), "v20240611");
    assert_eq!(version_module("iap_1.0"), "iap_1_0");
    assert!(valid_version("iap_1.0") && valid_version("2018-08-08"));
    for bad in ["", "_x", "1.0/2", "v 1", "ü", &"9".repeat(33)] {
        assert!(!valid_version(bad), "{bad:?}");
    }
}

#[test]
fn a_split_crate_is_cut_into_as_few_even_parts_as_the_budget_allows() {
    assert_eq!(part_sizes(7, 3), [3, 2, 2]);
    assert_eq!(part_sizes(6, 3), [3, 3]);
    assert_eq!(part_sizes(0, 3), Vec::<usize>::new());
    assert_eq!(part_sizes(2, 0), [1, 1]);
    for (count, budget) in [(1, 1), (250, 250), (251, 250), (921, 250), (1000, 7)] {
        let sizes = part_sizes(count, budget);
        assert_eq!(sizes.iter().sum::<usize>(), count, "{count} over {budget}");
        assert!(sizes.iter().all(|&s| s <= budget && s + 1 >= sizes[0]), "{count} over {budget}: {sizes:?}");
        assert_eq!(sizes.len(), count.div_ceil(budget));
    }
}

#[test]
fn the_crates_behind_a_split_crate_are_its_shared_crate_and_its_parts() {
    assert_eq!(crates_behind("p-foo", &[4, 3], Some(3)), ["p-foo-shared", "p-foo-part1", "p-foo-part2", "p-foo-part3"]);
    assert!(crates_behind("p-foo", &[4, 3], Some(7)).is_empty());
    assert!(crates_behind("p-foo", &[4, 3], None).is_empty());
    assert_eq!(crates_behind("p-foo", &[0, 2], Some(1)), ["p-foo-shared", "p-foo-part1", "p-foo-part2"]);
}
