//! The AWS regions of each partition, for the picker's region choice
//! (Ctrl-G), most recently used first. Pure.

const COMMERCIAL: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "ca-west-1",
    "mx-central-1",
    "sa-east-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "af-south-1",
    "ap-south-1",
    "ap-south-2",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
];
const CHINA: &[&str] = &["cn-north-1", "cn-northwest-1"];
const GOVCLOUD: &[&str] = &["us-gov-west-1", "us-gov-east-1"];

const EUSC: &[&str] = &["eusc-de-east-1"];

/// The regions of `region`'s partition (an isolated one's: none known).
pub fn partition_regions(region: &str) -> &'static [&'static str] {
    match crate::partition::of_checked(region).id {
        "aws" => COMMERCIAL,
        "aws-cn" => CHINA,
        "aws-us-gov" => GOVCLOUD,
        "aws-eusc" => EUSC,
        _ => &[],
    }
}

/// The partition's regions with the recently used ones (of that partition)
/// first, most recent first.
pub fn choices(region: &str, recent: &[String]) -> Vec<String> {
    let all = partition_regions(region);
    let mut out: Vec<String> = recent
        .iter()
        .filter(|r| all.contains(&r.as_str()))
        .cloned()
        .collect();
    out.dedup();
    for r in all {
        if !out.iter().any(|o| o == r) {
            out.push((*r).to_string());
        }
    }
    out
}

/// `recent` with `region` moved to the front, at most 10 kept.
pub fn used(recent: &mut Vec<String>, region: &str) {
    recent.retain(|r| r != region);
    recent.insert(0, region.to_string());
    recent.truncate(10);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_first_within_the_partition() {
        let mut recent = vec!["eu-west-1".to_string(), "cn-north-1".to_string()];
        used(&mut recent, "ap-south-1");
        assert_eq!(recent, ["ap-south-1", "eu-west-1", "cn-north-1"]);
        let c = choices("us-east-1", &recent);
        assert_eq!(&c[..3], ["ap-south-1", "eu-west-1", "us-east-1"]);
        assert_eq!(c.len(), COMMERCIAL.len());
        assert_eq!(
            choices("cn-north-1", &recent),
            ["cn-north-1", "cn-northwest-1"]
        );
        for _ in 0..20 {
            used(&mut recent, "eu-west-1");
        }
        assert!(recent.len() <= 10);
    }
}
