"""Validates scenario files against `wfsim schema` with Debian's python3-jsonschema.

Usage: validate_json_schema.py SCHEMA.json FILE.yaml...
Prints one line a file: "FILE: valid" or "FILE: invalid at KEY: MESSAGE" (the
first error by path), or "FILE: unreadable: ..." for a file that is not YAML.
The schema itself is checked against the 2020-12 meta-schema first.

YAML is read as YAML 1.2's core schema, as wfsim reads it (1e-3 is a number,
`no` is a string), not PyYAML's YAML 1.1 default.
"""
import json
import re
import sys

import jsonschema
import yaml


class CoreLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema scalars."""


CoreLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers
          if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                         "tag:yaml.org,2002:timestamp")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CoreLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))
CoreLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
                                 list("-+0123456789"))
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))


def construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


CoreLoader.add_constructor("tag:yaml.org,2002:int", construct_int)


def where(error):
    return ".".join(str(part) for part in error.absolute_path) or "(top level)"


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name in sys.argv[2:]:
        try:
            with open(name, encoding="utf-8") as f:
                document = yaml.load(f, Loader=CoreLoader)
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            print(f"{name}: unreadable: {str(error).splitlines()[0]}")
            continue
        errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
        if errors:
            print(f"{name}: invalid at {where(errors[0])}: {errors[0].message[:200]}")
        else:
            print(f"{name}: valid")


if __name__ == "__main__":
    main()
