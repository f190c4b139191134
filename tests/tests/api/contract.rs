//! `template.yaml` must agree with the code: the route table, the function crates and the table
//! definition each exist once, in Rust, and the template is held to them here.

use std::collections::BTreeSet;
use std::path::Path;

use serde_yaml_ng::Value;
use shared::function::Function;
use shared::http::routes::ROUTES;
use shared::store::table::{INDEXES, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn template() -> Value {
    let text = std::fs::read_to_string(repo().join("template.yaml")).expect("template.yaml at the root");
    serde_yaml_ng::from_str(&text).expect("template.yaml parses")
}

fn functions_in(template: &Value) -> Vec<(String, &Value)> {
    template["Resources"]
        .as_mapping()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Serverless::Function")
        .map(|(name, r)| (name.as_str().unwrap().to_string(), r))
        .collect()
}

#[test]
fn every_route_is_served_by_its_function_in_the_template() {
    let template = template();
    let mut in_template = BTreeSet::new();
    for (name, function) in functions_in(&template) {
        let binary =
            function["Metadata"]["BuildProperties"]["Binary"].as_str().unwrap_or_else(|| panic!("{name}: Binary"));
        assert_eq!(function["Metadata"]["BuildMethod"], "rust-cargolambda", "{name}");
        assert_eq!(function["Properties"]["CodeUri"], "./", "{name}");
        for (_, event) in function["Properties"]["Events"].as_mapping().unwrap() {
            if Function::from_name(binary).is_some_and(Function::is_scheduled) {
                assert_eq!(event["Type"], "Schedule", "{name} runs on a schedule");
                continue;
            }
            assert_eq!(event["Type"], "HttpApi");
            let method = event["Properties"]["Method"].as_str().unwrap().to_string();
            let path = event["Properties"]["Path"].as_str().unwrap().to_string();
            in_template.insert((method, path, binary.to_string()));
        }
    }
    let in_code: BTreeSet<_> =
        ROUTES.iter().map(|r| (r.method.to_string(), r.path.to_string(), r.function.name().to_string())).collect();
    assert_eq!(in_template, in_code, "template.yaml and shared/src/http/routes.rs disagree");
}

#[test]
fn every_function_crate_is_deployed_and_every_deployed_function_has_a_crate() {
    let template = template();
    let deployed: BTreeSet<String> = functions_in(&template)
        .iter()
        .map(|(_, f)| f["Metadata"]["BuildProperties"]["Binary"].as_str().unwrap().to_string())
        .collect();
    let crates: BTreeSet<String> = std::fs::read_dir(repo().join("functions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(deployed, crates);
    let named: BTreeSet<String> = Function::ALL.iter().map(|f| f.name().to_string()).collect();
    assert_eq!(deployed, named);
    for name in &crates {
        let manifest = std::fs::read_to_string(repo().join("functions").join(name).join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{name}: package and binary are named after the function"
        );
    }
}

#[test]
fn the_table_matches_the_store_definition() {
    let template = template();
    let table = &template["Resources"]["Table"]["Properties"];
    let keys: Vec<(String, String)> = table["KeySchema"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|k| (k["AttributeName"].as_str().unwrap().into(), k["KeyType"].as_str().unwrap().into()))
        .collect();
    assert_eq!(keys, vec![(PARTITION_KEY.into(), "HASH".into()), (SORT_KEY.into(), "RANGE".into())]);
    assert_eq!(table["TimeToLiveSpecification"]["AttributeName"], TTL_ATTRIBUTE);
    assert_eq!(table["TimeToLiveSpecification"]["Enabled"], true);
    assert_eq!(table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"], true);
    assert_eq!(table["BillingMode"], "PAY_PER_REQUEST");
    let indexes = table["GlobalSecondaryIndexes"].as_sequence().unwrap();
    assert_eq!(indexes.len(), INDEXES.len());
    let defined: Vec<&str> = table["AttributeDefinitions"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|a| a["AttributeName"].as_str().unwrap())
        .collect();
    for (index, expected) in indexes.iter().zip(&INDEXES) {
        assert_eq!(index["IndexName"], expected.name);
        assert_eq!(index["KeySchema"][0]["AttributeName"], expected.partition_key);
        assert_eq!(index["KeySchema"][1]["AttributeName"], expected.sort_key);
        assert_eq!(index["Projection"]["ProjectionType"], expected.projection);
        assert!(defined.contains(&expected.partition_key) && defined.contains(&expected.sort_key));
    }
}

#[test]
fn delivery_runs_every_minute_and_parked_notifications_raise_an_alarm() {
    let template = template();
    let delivery = &template["Resources"]["DeliveryFunction"];
    assert_eq!(delivery["Properties"]["Events"]["EveryMinute"]["Properties"]["Schedule"], "rate(1 minute)");
    let alarm = &template["Resources"]["NotificationsParkedAlarm"]["Properties"];
    assert_eq!(
        (alarm["Namespace"].as_str(), alarm["MetricName"].as_str()),
        (Some("MeetingScheduler"), Some("NotificationsParked"))
    );
}

#[test]
fn functions_run_on_graviton_with_the_al2023_runtime_and_the_api_is_throttled() {
    let template = template();
    let globals = &template["Globals"]["Function"];
    assert_eq!(globals["Runtime"], "provided.al2023");
    assert_eq!(globals["Architectures"][0], "arm64");
    let api = &template["Resources"]["Api"]["Properties"]["DefaultRouteSettings"];
    assert!(!api["ThrottlingRateLimit"].is_null() && !api["ThrottlingBurstLimit"].is_null());
}

fn openapi() -> Value {
    let text = std::fs::read_to_string(repo().join("openapi.yaml")).expect("openapi.yaml at the root");
    serde_yaml_ng::from_str(&text).expect("openapi.yaml parses")
}

#[test]
fn openapi_describes_exactly_the_routes_the_code_serves() {
    let spec = openapi();
    let mut documented = BTreeSet::new();
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        for (method, operation) in item.as_mapping().unwrap() {
            let method = method.as_str().unwrap();
            if method == "parameters" {
                continue;
            }
            assert!(operation["operationId"].is_string(), "{method} {path:?} has an operationId");
            assert!(!operation["responses"].as_mapping().unwrap().is_empty());
            documented.insert((method.to_uppercase(), path.as_str().unwrap().to_string()));
        }
    }
    let served: BTreeSet<_> = ROUTES.iter().map(|r| (r.method.to_string(), r.path.to_string())).collect();
    assert_eq!(documented, served, "openapi.yaml and shared/src/http/routes.rs disagree");
}

#[test]
fn openapi_lists_every_problem_type_the_code_can_answer() {
    let spec = openapi();
    let listed: BTreeSet<String> = spec["components"]["schemas"]["Problem"]["properties"]["type"]["enum"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    let in_code: BTreeSet<String> =
        shared::http::problem::ProblemKind::ALL.iter().map(|k| format!("/problems/{}", k.as_str())).collect();
    assert_eq!(listed, in_code);
}

#[test]
fn every_operation_documents_the_503_a_stalled_dependency_gives() {
    let spec = openapi();
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        for (method, operation) in item.as_mapping().unwrap() {
            if method.as_str() == Some("parameters") {
                continue;
            }
            assert!(!operation["responses"]["503"].is_null(), "{method:?} {path:?} has no 503 response");
        }
    }
    let unavailable = &spec["components"]["responses"]["Unavailable"];
    assert!(!unavailable["headers"]["Retry-After"].is_null());
}

/// Every kind of system message the code writes is in `openapi.yaml`'s list (a match with no
/// wildcard: a new kind does not compile until it is named here, and then in the contract).
#[test]
fn openapi_lists_every_kind_of_conversation_message() {
    use shared::domain::conversation::Event;
    fn kind(event: &Event) -> &'static str {
        match event {
            Event::MeetingBooked { .. } => "meeting_booked",
            Event::MeetingRescheduled { .. } => "meeting_rescheduled",
            Event::DurationChanged { .. } => "duration_changed",
            Event::SubjectChanged { .. } => "subject_changed",
            Event::MeetingCancelled { .. } => "meeting_cancelled",
            Event::Renamed { .. } => "renamed",
            Event::Assigned { .. } => "assigned",
            Event::ReminderSent { .. } => "reminder_sent",
        }
    }
    let at = chrono::Utc::now();
    let samples = [
        Event::MeetingBooked { meeting_id: "m".into(), subject: "s".into(), start: at, end: at },
        Event::MeetingRescheduled { meeting_id: "m".into(), from: at, start: at, end: at },
        Event::DurationChanged { meeting_id: "m".into(), from_minutes: 15, to_minutes: 30, end: at },
        Event::SubjectChanged { meeting_id: "m".into(), from: "a".into(), to: "b".into() },
        Event::MeetingCancelled { meeting_id: "m".into(), start: at },
        Event::Renamed { title: None },
        Event::Assigned {
            agent_id: "a".into(),
            agent_name: "A".into(),
            service_id: "s".into(),
            service_name: "S".into(),
        },
        Event::ReminderSent { meeting_id: "m".into(), lead_minutes: 15, start: at },
    ];
    let written: BTreeSet<String> = samples
        .iter()
        .map(|e| {
            let json = serde_json::to_value(e).unwrap();
            assert_eq!(json["type"], kind(e), "serde writes the name the contract uses");
            kind(e).to_string()
        })
        .collect();
    let spec = openapi();
    let listed: BTreeSet<String> = spec["components"]["schemas"]["Message"]["properties"]["event"]["properties"]
        ["type"]["enum"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, written);
}
