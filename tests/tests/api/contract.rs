//! `template.yaml` must agree with the code: the route table, the function crates and the table
//! definition each exist once, in Rust, and the template is held to them here.

use std::collections::BTreeSet;
use std::path::Path;

use serde_yaml_ng::Value;
use shared::alarms::{Count, NAMESPACE};
use shared::function::{Function, Trigger};
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

/// The function a template function is: its `SCHEDULER_FUNCTION`.
fn function_of(name: &str, function: &Value) -> Function {
    let named = function["Properties"]["Environment"]["Variables"]["SCHEDULER_FUNCTION"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: SCHEDULER_FUNCTION"));
    Function::from_name(named).unwrap_or_else(|| panic!("{name}: `{named}` is not a function of the code"))
}

#[test]
fn every_route_is_served_by_its_function_in_the_template() {
    let template = template();
    let mut in_template = BTreeSet::new();
    for (name, function) in functions_in(&template) {
        let which = function_of(&name, function);
        for (_, event) in function["Properties"]["Events"].as_mapping().unwrap() {
            match which.trigger() {
                Trigger::Schedule => assert_eq!(event["Type"], "Schedule", "{name} runs on a schedule"),
                Trigger::Notifications => assert_eq!(event["Type"], "SNS", "{name} hears a topic"),
                Trigger::Requests => {
                    assert_eq!(event["Type"], "Api", "{name}: a REST API event");
                    let method = event["Properties"]["Method"].as_str().unwrap().to_string();
                    let path = event["Properties"]["Path"].as_str().unwrap().to_string();
                    in_template.insert((method, path, which.name().to_string()));
                }
            }
        }
    }
    let in_code: BTreeSet<_> =
        ROUTES.iter().map(|r| (r.method.to_string(), r.path.to_string(), r.function.name().to_string())).collect();
    assert_eq!(in_template, in_code, "template.yaml and shared/src/http/routes.rs disagree");
}

/// Every function of the code is deployed once, from the one artifact the Makefile builds, with
/// its own log group and alarm.
#[test]
fn every_function_is_deployed_once_from_the_one_artifact_with_its_logs_and_alarm() {
    let template = template();
    let resources = &template["Resources"];
    let mut deployed = Vec::new();
    for (name, function) in functions_in(&template) {
        deployed.push(function_of(&name, function));
        assert_eq!(function["Metadata"]["BuildMethod"], "makefile", "{name}");
        assert_eq!(function["Properties"]["CodeUri"], "./", "{name}");
        assert!(resources[&format!("{name}Logs")]["Type"] == "AWS::Logs::LogGroup", "{name}: its log group");
        let alarm = &resources[&format!("{name}Alarm")]["Properties"];
        let watched: Vec<&str> = alarm["Metrics"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(|m| m["MetricStat"]["Metric"]["MetricName"].as_str())
            .collect();
        assert_eq!(watched, vec!["Errors", "Throttles"], "{name}: its alarm");
    }
    deployed.sort();
    let mut all = Function::ALL.to_vec();
    all.sort();
    assert_eq!(deployed, all, "each function of shared/src/function.rs once");
    let crates: Vec<String> = std::fs::read_dir(repo().join("functions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(crates, vec!["bootstrap".to_string()], "one binary");
    let makefile = std::fs::read_to_string(repo().join("Makefile")).unwrap();
    assert!(makefile.contains("build-%Function:"), "the Makefile builds every function the same way");
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
fn delivery_runs_every_minute_and_every_count_the_code_keeps_raises_an_alarm() {
    let template = template();
    let delivery = &template["Resources"]["DeliveryFunction"];
    assert_eq!(delivery["Properties"]["Events"]["EveryMinute"]["Properties"]["Schedule"], "rate(1 minute)");
    for count in Count::ALL {
        let alarm = &template["Resources"][&format!("{}Alarm", count.name())]["Properties"];
        assert_eq!(
            (alarm["Namespace"].as_str(), alarm["MetricName"].as_str()),
            (Some(NAMESPACE), Some(count.name())),
            "{count:?}"
        );
    }
}

#[test]
fn functions_run_on_graviton_with_the_al2023_runtime_traced_and_the_api_is_throttled_and_guarded() {
    let template = template();
    let globals = &template["Globals"]["Function"];
    assert_eq!(globals["Runtime"], "provided.al2023");
    assert_eq!(globals["Architectures"][0], "arm64");
    assert_eq!(globals["Tracing"], "Active");
    let api = &template["Resources"]["Api"]["Properties"];
    assert_eq!(api["TracingEnabled"], true);
    let stage = &api["MethodSettings"][0];
    assert!(!stage["ThrottlingRateLimit"].is_null() && !stage["ThrottlingBurstLimit"].is_null());
    assert!(api["AccessLogSetting"]["Format"].as_str().unwrap().starts_with('{'), "JSON access logs");
    let waf = &template["Resources"]["WebAcl"]["Properties"];
    let rules: Vec<&str> = waf["Rules"].as_sequence().unwrap().iter().map(|r| r["Name"].as_str().unwrap()).collect();
    assert!(rules.contains(&"GuestWritesPerAddress") && rules.contains(&"RequestsPerAddress"), "{rules:?}");
    assert_eq!(template["Resources"]["WebAclAssociation"]["Type"], "AWS::WAFv2::WebACLAssociation");
}

/// The problem types API Gateway and WAF answer with (template.yaml), beside the code's own.
fn gateway_problem_types(template: &Value) -> BTreeSet<String> {
    let text = serde_yaml_ng::to_string(template).unwrap();
    text.match_indices("/problems/")
        .map(|(at, _)| {
            let rest = &text[at..];
            rest[..rest.find(['"', '\\']).unwrap()].to_string()
        })
        .collect()
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
    let mut answered: BTreeSet<String> =
        shared::http::problem::ProblemKind::ALL.iter().map(|k| format!("/problems/{}", k.as_str())).collect();
    answered.extend(gateway_problem_types(&template()));
    assert_eq!(listed, answered);
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
            Event::EmailUndelivered { .. } => "email_undelivered",
            Event::Unsubscribed { .. } => "unsubscribed",
            Event::AgentLeft { .. } => "agent_left",
            Event::ServiceRemoved { .. } => "service_removed",
            Event::MeetingHandedOver { .. } => "meeting_handed_over",
            Event::MeetingRehosted { .. } => "meeting_rehosted",
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
        Event::EmailUndelivered { meeting_id: "m".into(), to: "Grace".into(), complaint: false },
        Event::Unsubscribed { name: "Grace".into() },
        Event::AgentLeft { agent_name: "A".into(), service_name: "S".into() },
        Event::ServiceRemoved { service_name: "S".into(), agent_name: "A".into() },
        Event::MeetingHandedOver { meeting_id: "m".into(), from_name: "A".into(), to_name: "B".into() },
        Event::MeetingRehosted { meeting_id: "m".into(), from_name: "A".into(), to_name: "B".into() },
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

/// Every object the contract describes says whether it may carry fields it does not name; every
/// answer's object but a system message's `event` and a webhook's `data` (whose fields depend on
/// their type) may not. So
/// the fuzzer's response check (schemathesis `response_schema_conformance`) refuses an answer
/// with a field the contract lacks. Before: a slot answer's `calendars[]` carried `status`, which
/// the contract did not name, and nothing noticed.
#[test]
fn every_object_in_the_contract_is_closed_or_says_why_not() {
    fn walk(node: &Value, trail: &str, open: &mut Vec<String>, silent: &mut Vec<String>) {
        match node {
            Value::Mapping(map) => {
                if node["type"] == "object" {
                    match &node["additionalProperties"] {
                        // Closed, or a map whose every value has a schema.
                        Value::Bool(false) | Value::Mapping(_) => {}
                        Value::Null => silent.push(trail.to_string()),
                        _ => open.push(trail.to_string()),
                    }
                }
                for (key, value) in map {
                    walk(value, &format!("{trail}/{}", key.as_str().unwrap_or("?")), open, silent);
                }
            }
            Value::Sequence(items) => items.iter().for_each(|v| walk(v, &format!("{trail}[]"), open, silent)),
            _ => {}
        }
    }
    let (mut open, mut silent) = (Vec::new(), Vec::new());
    walk(&openapi(), "", &mut open, &mut silent);
    assert!(silent.is_empty(), "objects that do not say whether they are closed: {silent:#?}");
    // A system message's `event` and a webhook's `data`: their fields depend on their type.
    assert_eq!(
        open,
        vec![
            "/components/schemas/WebhookPayload/properties/data".to_string(),
            "/components/schemas/Message/properties/event".to_string()
        ]
    );
}

/// Least privilege (before: every function, the public ones included, could write anywhere in
/// the table, and mail from any address): each function's IAM policy in `template.yaml` allows
/// exactly what `Function::access` says it needs, mail is pinned to the sender's From address,
/// and a slot lookup writes only the agents' calendar caches.
#[test]
fn each_function_may_do_exactly_what_it_needs() {
    use shared::function::Access;
    let template = template();
    for (name, function) in functions_in(&template) {
        let which = function_of(&name, function);
        let statements: Vec<&Value> = function["Properties"]["Policies"]
            .as_sequence()
            .map(|p| p.iter().flat_map(|doc| doc["Statement"].as_sequence().unwrap().iter()).collect())
            .unwrap_or_default();
        let actions = |s: &Value| -> Vec<String> {
            match &s["Action"] {
                Value::String(one) => vec![one.clone()],
                Value::Sequence(many) => many.iter().map(|a| a.as_str().unwrap().to_string()).collect(),
                _ => vec![],
            }
        };
        let mut found: BTreeSet<Access> = BTreeSet::new();
        for statement in &statements {
            assert_eq!(statement["Effect"], "Allow", "{name}");
            let acts = actions(statement);
            let access = match acts.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] => Access::TableRead,
                ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"] => {
                    Access::TableWrite
                }
                ["dynamodb:PutItem", "dynamodb:UpdateItem"] => {
                    let leading = &statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"];
                    let keys: Vec<&str> = leading.as_sequence().unwrap().iter().filter_map(|k| k.as_str()).collect();
                    assert_eq!(keys, shared::function::FEED_CACHE_WRITE_KEYS, "{name}: only the calendars' partitions");
                    let alert =
                        shared::domain::notification::calendar_alert("t", "a", "c", "h", "e", chrono::Utc::now());
                    let (pk, _) = shared::store::keys::outbox("t", &alert.notification.id);
                    assert!(
                        pk.starts_with("TENANT#t#OUTBOX#calendar-"),
                        "an alert's key is one the policy allows: {pk}"
                    );
                    Access::FeedCacheWrite
                }
                ["ses:SendRawEmail"] => {
                    assert!(
                        !statement["Condition"]["StringEquals"]["ses:FromAddress"].is_null(),
                        "{name}: From pinned"
                    );
                    Access::Mail
                }
                ["events:PutEvents"] => Access::Events,
                ["secretsmanager:GetSecretValue"] => Access::SigningKey,
                other => panic!("{name}: an action set no function is declared to need: {other:?}"),
            };
            assert!(found.insert(access), "{name}: {access:?} granted twice");
        }
        let wanted: BTreeSet<Access> = which.access().iter().copied().collect();
        assert_eq!(found, wanted, "{name}: template.yaml and shared/src/function.rs disagree");
    }
}

/// G7: every route a guest can write to (book, confirm, sign in, change a meeting, write in a
/// conversation, unsubscribe) is under the WAF rule that bounds writes per client address.
#[test]
fn every_guest_writable_route_is_under_the_waf_write_rule() {
    use shared::http::routes::Operation::*;
    let template = template();
    let rules = template["Resources"]["WebAcl"]["Properties"]["Rules"].as_sequence().unwrap();
    let rule = rules.iter().find(|r| r["Name"] == "GuestWritesPerAddress").expect("the write rule");
    let text = serde_yaml_ng::to_string(&rule["Statement"]).unwrap();
    let covered: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("SearchString: "))
        .filter(|s| s.starts_with('/'))
        .map(str::to_string)
        .collect();
    let guest_writable = [
        BookMeeting,
        ConfirmHold,
        ResendHoldCode,
        StartSignIn,
        ConfirmSignIn,
        SignOut,
        ChangeMeeting,
        CancelMeeting,
        ReissueManageToken,
        RenameConversation,
        PostMessage,
        MarkRead,
        MuteConversation,
        Unsubscribe,
    ];
    for route in ROUTES.iter().filter(|r| guest_writable.contains(&r.operation)) {
        assert_ne!(route.method, "GET");
        assert!(
            covered.iter().any(|c| route.path.contains(c.as_str())),
            "{} {} is not under the rule",
            route.method,
            route.path
        );
    }
    assert!(text.contains("NotStatement") && text.contains("SearchString: GET"), "every method but a read");
}
