#!/usr/bin/env python3
"""Translate a SAM template into the CloudFormation template that
`sam deploy` would create, offline, with aws-sam-translator (the library SAM
itself runs), and print it as JSON.

    python3 infra/samtranslate.py template.yaml > translated.json

Used by the template tests (shared/dev/samtemplate): the roles, event source
mappings and permissions SAM generates can only be checked after this step.

Offline differences from a real deploy:
  * each function's local CodeUri becomes a placeholder S3 URI (SAM cannot
    translate a local path; `sam build`/`sam package` would upload it);
  * SAM resolves managed policy *names* through IAM. This script knows none,
    so a template that names one (Policies: [AmazonS3FullAccess]) fails to
    translate: name the statements inline instead, which the tests check.
"""

import json
import os
import sys

try:
    from samtranslator.parser.parser import Parser
    from samtranslator.public.exceptions import InvalidDocumentException
    from samtranslator.translator.translator import Translator
    from samtranslator.yaml_helper import yaml_parse
except ImportError as e:  # pragma: no cover - reported to the caller
    sys.exit(
        "samtranslate.py: the Python package aws-sam-translator is missing (%s). "
        "Install it with `pip install aws-sam-translator==1.110.0` (infra/setup.sh checks for it)." % e
    )


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: samtranslate.py TEMPLATE")
    with open(argv[1], encoding="utf-8") as f:
        try:
            template = yaml_parse(f.read())
        except Exception as e:  # yaml.YAMLError and the intrinsics' errors
            sys.exit("samtranslate.py: %s is not valid YAML: %s" % (argv[1], e))

    # SAM only translates S3 code locations; the Globals' CodeUri: . is the
    # local build folder.
    template.get("Globals", {}).get("Function", {}).pop("CodeUri", None)
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource.setdefault("Properties", {})["CodeUri"] = "s3://carecoach-translate/%s.zip" % logical_id

    # SAM builds ARNs for the region it runs in.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    try:
        translated = Translator(managed_policy_map={}, sam_parser=Parser()).translate(
            sam_template=template, parameter_values={}
        )
    except InvalidDocumentException as e:
        for cause in e.causes:
            print("samtranslate.py: %s" % cause.message, file=sys.stderr)
        sys.exit(1)
    json.dump(translated, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
