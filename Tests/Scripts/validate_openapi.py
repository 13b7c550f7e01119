"""Validate an OpenAPI 3 document read from the file named on the command line.

Exits 0 and prints "valid" when openapi-spec-validator accepts the
document, or exits 1 with the validator's message.
"""

import json
import sys

from openapi_spec_validator import validate

try:
    with open(sys.argv[1]) as document:
        validate(json.load(document))
except Exception as error:  # The validator raises several exception types.
    print("invalid OpenAPI document: %s" % error)
    sys.exit(1)
print("valid")
