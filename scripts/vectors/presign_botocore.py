"""Presigned-URL vectors from botocore (AWS's own Python SDK), for the
presigner's tests (server/src/storage/presign/botocore_vectors.json):
temporary credentials (X-Amz-Security-Token), response overrides, signed
upload headers, path- and virtual-host style.

Run it only to regenerate the file (botocore is a test tool, never a
dependency of Lanyard):
  python3 -m venv /tmp/v && /tmp/v/bin/pip install botocore==1.35.99
  /tmp/v/bin/python scripts/vectors/presign_botocore.py > server/src/storage/presign/botocore_vectors.json
"""

import datetime
import json
import urllib.parse

import botocore
import botocore.auth
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NOW = datetime.datetime(2026, 12, 4, 12, 34, 56)


class FixedClock(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return NOW


botocore.auth.datetime.datetime = FixedClock

KEY = "ASIAEXAMPLEKEYID1234"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQC+example/token=="

CASES = [
    {
        "name": "GET with a session token and response overrides, path style",
        "method": "GET", "endpoint": "http://127.0.0.1:9000", "path_style": True,
        "bucket": "lanyard-photos", "key": "photos/0123456789abcdef0123456789abcdef/thumb.jpg",
        "region": "us-east-1", "ttl": 3600, "token": TOKEN, "headers": [],
        "query": [["response-cache-control", "private, immutable"],
                  ["response-expires", "Fri, 04 Dec 2026 13:34:56 GMT"]],
    },
    {
        "name": "PUT with a session token, type and length signed, path style",
        "method": "PUT", "endpoint": "https://s3.eu-west-1.amazonaws.com", "path_style": True,
        "bucket": "lanyard-photos", "key": "uploads/0123456789abcdef0123456789abcdef",
        "region": "eu-west-1", "ttl": 300, "token": TOKEN,
        "headers": [["content-type", "image/jpeg"], ["content-length", "123456"]], "query": [],
    },
    {
        "name": "GET with a session token, virtual-host style, a key needing encoding",
        "method": "GET", "endpoint": "https://s3.eu-west-1.amazonaws.com", "path_style": False,
        "bucket": "lanyard-photos", "key": "doctor/probe file+1.txt",
        "region": "eu-west-1", "ttl": 60, "token": TOKEN, "headers": [], "query": [],
    },
    {
        "name": "GET without a session token",
        "method": "GET", "endpoint": "http://localhost:9000", "path_style": True,
        "bucket": "lanyard-photos", "key": "photos/x/profile.jpg",
        "region": "us-east-1", "ttl": 1200, "token": None, "headers": [], "query": [],
    },
]


def presign(case):
    parsed = urllib.parse.urlsplit(case["endpoint"])
    quoted_key = urllib.parse.quote(case["key"], safe="/~")
    if case["path_style"]:
        url = f"{parsed.scheme}://{parsed.netloc}/{case['bucket']}/{quoted_key}"
    else:
        url = f"{parsed.scheme}://{case['bucket']}.{parsed.netloc}/{quoted_key}"
    if case["query"]:
        url += "?" + urllib.parse.urlencode([tuple(p) for p in case["query"]], quote_via=urllib.parse.quote)
    credentials = Credentials(KEY, SECRET, case["token"])
    auth = S3SigV4QueryAuth(credentials, "s3", case["region"], expires=case["ttl"])
    request = AWSRequest(method=case["method"], url=url, headers=dict(case["headers"]))
    auth.add_auth(request)
    return request.url


print(json.dumps({
    "botocore": botocore.__version__,
    "now": NOW.isoformat() + "Z",
    "access_key_id": KEY,
    "secret_access_key": SECRET,
    "cases": [dict(case, url=presign(case)) for case in CASES],
}, indent=2))
