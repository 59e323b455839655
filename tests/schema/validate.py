"""Validates scenario files against chainrule's JSON Schema with Python's jsonschema, a
validator that is not chainrule's: `python3 validate.py SCHEMA FILE...` checks the schema
itself, then prints one line per file, `valid FILE` or `invalid FILE: WHY`."""

import json
import sys

import jsonschema


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            try:
                scenario = json.load(f)
            except json.JSONDecodeError as e:
                print(f"invalid {path}: not JSON: {e}")
                continue
        error = jsonschema.exceptions.best_match(validator.iter_errors(scenario))
        if error is None:
            print(f"valid {path}")
        else:
            place = "/".join(str(p) for p in error.absolute_path) or "(top)"
            print(f"invalid {path}: at {place}: {error.message}")


if __name__ == "__main__":
    main()
