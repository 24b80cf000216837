//! The discovery documents (RFC 7644 §4, RFC 7643 §5–7): what Lanyard's
//! SCIM service supports and the exact attributes its users have. Providers
//! and conformance checkers build their picture of the server from these,
//! so they name only what Lanyard keeps and reads back unchanged.

use super::query::MAX_RESULTS;
use super::user::{ENTERPRISE, USER_SCHEMA};
use serde_json::{json, Value};

const SPC_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": [SPC_SCHEMA],
        "documentationUri": "https://github.com/lanyard/lanyard#provisioning-with-scim",
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "A token made with `lanyard scim-token create NAME`, sent as Authorization: Bearer TOKEN.",
            "primary": true,
        }],
        "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{base}/ServiceProviderConfig")},
    })
}

pub fn user_resource_type(base: &str) -> Value {
    json!({
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A person in the directory",
        "schema": USER_SCHEMA,
        "schemaExtensions": [{"schema": ENTERPRISE, "required": false}],
        "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User")},
    })
}

pub fn resource_types(base: &str) -> Value {
    list(vec![user_resource_type(base)])
}

/// A string attribute's definition.
fn string(name: &str, description: &str, required: bool) -> Value {
    json!({
        "name": name, "type": "string", "multiValued": false, "description": description,
        "required": required, "caseExact": false, "mutability": "readWrite",
        "returned": "default", "uniqueness": "none",
    })
}

fn complex(name: &str, description: &str, multi: bool, required: bool, subs: Vec<Value>) -> Value {
    json!({
        "name": name, "type": "complex", "multiValued": multi, "description": description,
        "required": required, "mutability": "readWrite", "returned": "default",
        "uniqueness": "none", "subAttributes": subs,
    })
}

pub fn user_schema(base: &str) -> Value {
    let mut user_name = string(
        "userName",
        "The person's login at the identity provider, unique ignoring case; their work email unless emails gives one.",
        true,
    );
    user_name["uniqueness"] = "server".into();
    let mut email_value = string("value", "The work email.", true);
    email_value["required"] = true.into();
    let mut email_type = string("type", "Always work.", false);
    email_type["canonicalValues"] = json!(["work"]);
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A person in the directory",
        "attributes": [
            user_name,
            complex("name", "The person's name: the directory shows displayName, else these parts.", false, false, vec![
                string("givenName", "Given name.", false),
                string("familyName", "Family name.", false),
            ]),
            string("displayName", "The name the directory shows.", false),
            string("title", "Job title.", false),
            {
                "name": "active", "type": "boolean", "multiValued": false,
                "description": "false deactivates the person: signed out, out of the directory.",
                "required": true, "mutability": "readWrite", "returned": "default",
            },
            complex("emails", "The work email (one).", true, true, vec![
                email_value,
                email_type,
            ]),
            complex("phoneNumbers", "The work phone (one).", true, false, vec![
                string("value", "The phone number.", false),
            ]),
            complex("addresses", "The work location (one): its locality is the directory's location.", true, false, vec![
                string("locality", "The office or city.", false),
            ]),
        ],
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{USER_SCHEMA}")},
    })
}

pub fn enterprise_schema(base: &str) -> Value {
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": ENTERPRISE,
        "name": "EnterpriseUser",
        "description": "The person's department and manager",
        "attributes": [
            string("department", "Department.", false),
            complex("manager", "The person's manager, a user of this service.", false, false, vec![
                string("value", "The manager's id.", false),
                json!({
                    "name": "$ref", "type": "reference", "referenceTypes": ["User"],
                    "multiValued": false, "description": "The manager's URI.",
                    "required": false, "caseExact": true, "mutability": "readWrite",
                    "returned": "default", "uniqueness": "none",
                }),
            ]),
        ],
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{ENTERPRISE}")},
    })
}

pub fn schemas(base: &str) -> Value {
    list(vec![user_schema(base), enterprise_schema(base)])
}

/// The schema with this id, if Lanyard has it.
pub fn schema(base: &str, id: &str) -> Option<Value> {
    if id.eq_ignore_ascii_case(USER_SCHEMA) {
        Some(user_schema(base))
    } else if id.eq_ignore_ascii_case(ENTERPRISE) {
        Some(enterprise_schema(base))
    } else {
        None
    }
}

fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}
