"""`python -m infra.deploy_site STACK_NAME`: after `sam deploy`, upload the built site and its
runtime configuration (config.json from the stack outputs) to the site bucket."""

from __future__ import annotations

import json
import mimetypes
import sys
from pathlib import Path

import boto3

SITE = Path(__file__).resolve().parents[1] / "build" / "site"


def main(stack_name: str) -> int:
    cfn = boto3.client("cloudformation")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in
               cfn.describe_stacks(StackName=stack_name)["Stacks"][0]["Outputs"]}
    region = cfn.meta.region_name
    config = {"apiBase": "/api", "cognitoEndpoint": f"https://cognito-idp.{region}.amazonaws.com/",
              "clientId": outputs["UserPoolClientId"], "region": region}
    s3 = boto3.client("s3")
    bucket = outputs["SiteBucketName"]
    for path in sorted(p for p in SITE.rglob("*") if p.is_file()):
        key = path.relative_to(SITE).as_posix()
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        cache = "no-cache" if ctype == "text/html" else "public, max-age=3600"
        s3.upload_file(str(path), bucket, key,
                       ExtraArgs={"ContentType": ctype, "CacheControl": cache})
    s3.put_object(Bucket=bucket, Key="config.json", Body=json.dumps(config).encode(),
                  ContentType="application/json", CacheControl="no-cache")
    print(f"Site uploaded: {outputs['SiteUrl']}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
