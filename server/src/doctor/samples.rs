//! Sample store answers for the doctor's tests, shaped like the examples in
//! the S3 API reference (GetPublicAccessBlock, GetBucketEncryption,
//! GetBucketPolicy, the error responses) and like s3s's 501.

use super::evaluate::Answer;

pub const ALL_BLOCKED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
   <BlockPublicAcls>TRUE</BlockPublicAcls>
   <IgnorePublicAcls>TRUE</IgnorePublicAcls>
   <BlockPublicPolicy>TRUE</BlockPublicPolicy>
   <RestrictPublicBuckets>TRUE</RestrictPublicBuckets>
</PublicAccessBlockConfiguration>"#;

/// Two of the four settings off.
pub const HALF_BLOCKED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
   <BlockPublicAcls>true</BlockPublicAcls>
   <IgnorePublicAcls>false</IgnorePublicAcls>
   <BlockPublicPolicy>true</BlockPublicPolicy>
</PublicAccessBlockConfiguration>"#;

pub const SSE_KMS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Rule>
    <ApplyServerSideEncryptionByDefault>
      <SSEAlgorithm>aws:kms</SSEAlgorithm>
      <KMSMasterKeyID>arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab</KMSMasterKeyID>
    </ApplyServerSideEncryptionByDefault>
    <BucketKeyEnabled>true</BucketKeyEnabled>
  </Rule>
</ServerSideEncryptionConfiguration>"#;

pub const SSE_S3: &str = r#"<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>"#;

/// The bucket policy docs/production.md recommends (bucket `lanyard-photos`).
pub const RECOMMENDED_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyPlainHttp",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::lanyard-photos", "arn:aws:s3:::lanyard-photos/*"],
      "Condition": { "Bool": { "aws:SecureTransport": "false" } }
    },
    {
      "Sid": "DenyOldSignatures",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": "arn:aws:s3:::lanyard-photos/*",
      "Condition": { "NumericGreaterThan": { "s3:signatureAge": "3900000" } }
    }
  ]
}"#;

/// A 10-minute signature cap and a public read grant, no TLS rule.
pub const BAD_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PublicRead",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::lanyard-photos/*"
    },
    {
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": "arn:aws:s3:::lanyard-photos/*",
      "Condition": { "NumericGreaterThan": { "s3:signatureAge": 600000 } }
    }
  ]
}"#;

pub fn ok(body: &str) -> Answer {
    Answer::Http {
        status: 200,
        body: body.to_owned(),
    }
}

/// An S3 error response.
pub fn error(status: u16, code: &str) -> Answer {
    Answer::Http {
        status,
        body: format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
             <Message>sample</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>"
        ),
    }
}

pub fn not_implemented() -> Answer {
    error(501, "NotImplemented")
}
