use super::*;
use serde_json::json;

fn okta_user() -> Value {
    // Okta's documented POST /Users body (SCIM 2.0 reference, "Create the user").
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "ada.lovelace@lanyard.example",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"primary": true, "value": "ada.lovelace@lanyard.example", "type": "work"}],
        "displayName": "Ada Lovelace",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": true
    })
}

#[test]
fn an_okta_create_body_reads_as_a_user() {
    let user = ScimUser::from_body(&okta_user()).unwrap();
    assert_eq!(user.user_name, "ada.lovelace@lanyard.example");
    assert_eq!(user.email(), "ada.lovelace@lanyard.example");
    assert_eq!(user.external_id.as_deref(), Some("00ujl29u0le5T6Aj10h7"));
    assert_eq!(user.directory_name(), "Ada Lovelace");
    assert!(user.active);
    assert_eq!(user.title, None);
}

#[test]
fn names_fall_back_to_the_parts_then_the_user_name() {
    let mut user = ScimUser {
        user_name: "grace@x.example".into(),
        given_name: Some("Grace".into()),
        family_name: Some("Hopper".into()),
        ..ScimUser::default()
    };
    assert_eq!(user.directory_name(), "Grace Hopper");
    user.given_name = None;
    user.family_name = None;
    assert_eq!(user.directory_name(), "grace@x.example");
}

#[test]
fn entra_patches_with_and_without_a_path_apply() {
    let mut user = ScimUser::from_body(&okta_user()).unwrap();
    // Microsoft's documented request shapes (Entra ID SCIM guide, "Update
    // user [Multi-valued properties]" and "Disable user").
    user.patch(&json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "ada@lanyard.example"},
            {"op": "Replace", "path": "name.familyName", "value": "Byron"},
            {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": "7"},
            {"op": "Add", "path": "addresses[type eq \"work\"].locality", "value": "London"},
            {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Research"},
            {"op": "Replace", "path": "active", "value": "False"},
        ]
    }))
    .unwrap();
    assert_eq!(user.email(), "ada@lanyard.example");
    assert_eq!(user.family_name.as_deref(), Some("Byron"));
    assert_eq!(user.manager, Some(7));
    assert_eq!(user.location.as_deref(), Some("London"));
    assert_eq!(user.department.as_deref(), Some("Research"));
    assert!(!user.active);
    user.patch(&json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"active": true, "name.givenName": "Augusta", "title": "Analyst"}}]
    }))
    .unwrap();
    assert!(user.active);
    assert_eq!(user.given_name.as_deref(), Some("Augusta"));
    assert_eq!(user.title.as_deref(), Some("Analyst"));
    user.patch(&json!({"Operations": [
        {"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"},
        {"op": "remove", "path": "title"},
    ]}))
    .unwrap();
    assert_eq!(user.manager, None);
    assert_eq!(user.title, None);
}

#[test]
fn a_failing_operation_applies_none_of_its_patch() {
    let mut user = ScimUser::from_body(&okta_user()).unwrap();
    let before = user.clone();
    for (body, kind) in [
        (
            json!({"Operations": [
                {"op": "replace", "path": "title", "value": "Boss"},
                {"op": "replace", "path": "favouriteColour", "value": "green"},
            ]}),
            ScimType::InvalidPath,
        ),
        (
            json!({"Operations": [
                {"op": "replace", "path": "title", "value": "Boss"},
                {"op": "replace", "path": "id", "value": "9"},
            ]}),
            ScimType::Mutability,
        ),
        (
            json!({"Operations": [{"op": "remove", "path": "userName"}]}),
            ScimType::Mutability,
        ),
        (
            json!({"Operations": [{"op": "remove"}]}),
            ScimType::NoTarget,
        ),
        (
            json!({"Operations": [{"op": "copy", "path": "title"}]}),
            ScimType::InvalidSyntax,
        ),
        (json!({"Operations": []}), ScimType::InvalidSyntax),
        (
            json!({"Operations": [{"op": "replace", "path": "active", "value": "maybe"}]}),
            ScimType::InvalidValue,
        ),
        (
            json!({"Operations": [{"op": "replace", "path": "title", "value": "a\nb"}]}),
            ScimType::InvalidValue,
        ),
        (
            json!({"Operations": [{"op": "replace", "path": "title", "value": "t".repeat(201)}]}),
            ScimType::InvalidValue,
        ),
        (
            json!({"Operations": [{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": "boss"}]}),
            ScimType::InvalidValue,
        ),
        (
            json!({"Operations": [{"op": "replace", "path": "emails[value co \"x\"].value", "value": "x@y.z"}]}),
            ScimType::InvalidFilter,
        ),
        (
            json!({"schemas": ["urn:example:Other"], "Operations": [{"op": "replace", "path": "title", "value": "x"}]}),
            ScimType::InvalidValue,
        ),
        (json!([1, 2]), ScimType::InvalidSyntax),
    ] {
        let err = user.patch(&body).unwrap_err();
        assert_eq!(err.scim_type, Some(kind), "{body}: {}", err.detail);
        assert_eq!(user, before, "{body} changed the user");
    }
}

#[test]
fn bodies_with_unknown_attributes_or_schemas_are_refused() {
    let mut body = okta_user();
    body["shoeSize"] = json!(44);
    let err = ScimUser::from_body(&body).unwrap_err();
    assert_eq!(err.scim_type, Some(ScimType::InvalidPath));
    let mut body = okta_user();
    body["schemas"] = json!(["urn:ietf:params:scim:schemas:core:2.0:Group"]);
    assert_eq!(
        ScimUser::from_body(&body).unwrap_err().scim_type,
        Some(ScimType::InvalidValue)
    );
    let mut body = okta_user();
    body.as_object_mut().unwrap().remove("userName");
    assert_eq!(
        ScimUser::from_body(&body).unwrap_err().scim_type,
        Some(ScimType::InvalidValue)
    );
}

#[test]
fn the_primary_or_work_value_of_a_list_is_kept() {
    let mut body = okta_user();
    body["phoneNumbers"] = json!([
        {"value": "+44 1", "type": "mobile"},
        {"value": "+44 2", "type": "work"},
    ]);
    body["emails"] = json!([
        {"value": "home@x.example", "type": "home"},
        {"value": "work@x.example", "type": "other", "primary": "True"},
    ]);
    let user = ScimUser::from_body(&body).unwrap();
    assert_eq!(user.phone.as_deref(), Some("+44 2"));
    assert_eq!(user.email(), "work@x.example");
}

#[test]
fn the_enterprise_extension_reads_as_one_object() {
    let mut body = okta_user();
    body[ENTERPRISE] =
        json!({"department": "Engineering", "manager": {"value": "3"}, "employeeNumber": "701984"});
    let user = ScimUser::from_body(&body).unwrap();
    assert_eq!(user.department.as_deref(), Some("Engineering"));
    assert_eq!(user.manager, Some(3));
}
