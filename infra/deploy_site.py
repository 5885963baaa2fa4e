"""`python -m infra.deploy_site STACK_NAME`: after `sam deploy`, upload the built site and its
runtime configuration (config.json from the stack outputs) to the site bucket.

Each file carries its Cache-Control, which CloudFront passes on (and honours: the cache
policy is CachingOptimized) and the local server sends the same (`cache_control` below):
content-hashed assets are cached for a year, pages are revalidated at each visit, the rest
is kept a few minutes. CloudFront compresses text answers itself (`Compress: true`).
"""

from __future__ import annotations

import json
import mimetypes
import re
import sys
from pathlib import Path

SITE = Path(__file__).resolve().parents[1] / "build" / "site"
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("font/woff2", ".woff2")

# Files whose name carries a hash of their content, so a new content is a new name:
# ours (site/hooks/bundle.py, esbuild's `[name]-[hash]`, 8 characters of base32) and the
# theme's (Material's `name.<8 hex>.min.js|css`, and their source maps).
HASHED = re.compile(
    r"^assets/(?:.+-[A-Z2-7]{8}\.(?:js|css|woff2?|svg|png)"
    r"|(?:javascripts|stylesheets)/(?:.+/)?[\w-]+\.[0-9a-f]{8}\.min\.(?:js|css)(?:\.map)?)$")
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"


def cache_control(path: str, content_type: str) -> str:
    """The Cache-Control of the site's file at `path` (relative to the site's root)."""
    if content_type.split(";")[0].strip() == "text/html":
        return "no-cache"
    return IMMUTABLE if HASHED.match(path) else SHORT


def content_type(name: str) -> str:
    ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype == "application/javascript":
        ctype += "; charset=utf-8"
    return ctype


def main(stack_name: str) -> int:
    import boto3

    cfn = boto3.client("cloudformation")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in
               cfn.describe_stacks(StackName=stack_name)["Stacks"][0]["Outputs"]}
    region = cfn.meta.region_name
    config = {"apiBase": "/api", "cognitoEndpoint": f"https://cognito-idp.{region}.amazonaws.com/",
              "clientId": outputs["UserPoolClientId"],
              "advisorsClientId": outputs["AdvisorsUserPoolClientId"], "region": region,
              # « Mes services »: the map's tiles (their origin is in the site's CSP).
              "mapTiles": {"url": outputs["MapTileUrl"],
                           "attribution": outputs["MapTileAttribution"]}}
    s3 = boto3.client("s3")
    bucket = outputs["SiteBucketName"]
    # Assets first, pages last: a page never names a file not uploaded yet (and the files of
    # the previous version stay, for the pages browsers still hold).
    files = sorted((p for p in SITE.rglob("*") if p.is_file()),
                   key=lambda p: (p.suffix == ".html", p.as_posix()))
    for path in files:
        key = path.relative_to(SITE).as_posix()
        ctype = content_type(path.name)
        s3.upload_file(str(path), bucket, key,
                       ExtraArgs={"ContentType": ctype, "CacheControl": cache_control(key, ctype)})
    s3.put_object(Bucket=bucket, Key="config.json", Body=json.dumps(config).encode(),
                  ContentType="application/json", CacheControl="no-cache")
    print(f"Site uploaded: {outputs['SiteUrl']}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
