"""Validate AWS Glue API requests against botocore's Glue service model.

Reads a JSON list on stdin: [{"name": "jobs/x.json", "operation": "CreateJob", "params": {...}}, ...]
and writes a JSON list on stdout: [{"name": ..., "errors": ["...", ...]}, ...] (an empty list: valid).

botocore's ParamValidator checks what botocore itself refuses before sending (unknown keys, missing
required members, types, minimum lengths). AWS also refuses values outside an enum, strings over their
maximum length and strings that miss the model's pattern, which ParamValidator leaves to the service:
those are checked here from the same model, so a request passing both is one Glue's API accepts as shaped.
"""
import json
import re
import sys

import botocore
import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator


def model_checks(shape, value, path, errors):
    """Enum, max-length and pattern checks of botocore's model, which ParamValidator does not make."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == 'structure' and isinstance(value, dict):
        for key, member in shape.members.items():
            if key in value:
                model_checks(member, value[key], f'{path}.{key}', errors)
    elif kind == 'list' and isinstance(value, list):
        for i, item in enumerate(value):
            model_checks(shape.member, item, f'{path}[{i}]', errors)
        if 'max' in meta and len(value) > meta['max']:
            errors.append(f'{path}: {len(value)} items, the model allows at most {meta["max"]}')
    elif kind == 'map' and isinstance(value, dict):
        for key, item in value.items():
            model_checks(shape.key, key, f'{path} key {key!r}', errors)
            model_checks(shape.value, item, f'{path}[{key!r}]', errors)
        if 'max' in meta and len(value) > meta['max']:
            errors.append(f'{path}: {len(value)} entries, the model allows at most {meta["max"]}')
    elif kind == 'string' and isinstance(value, str):
        enum = getattr(shape, 'enum', None) or meta.get('enum')
        if enum and value not in enum:
            errors.append(f'{path}: {value!r} is not one of {", ".join(enum)}')
        if 'max' in meta and len(value) > meta['max']:
            errors.append(f'{path}: {len(value)} characters, the model allows at most {meta["max"]}')
        pattern = meta.get('pattern')
        if pattern:
            try:
                compiled = re.compile(pattern)
            except re.error:
                compiled = None  # a Java-only construct: botocore's own validator skips patterns too
            if compiled and not compiled.fullmatch(value):
                errors.append(f'{path}: {value!r} does not match the pattern {pattern}')


def validate(service, request):
    operation = request.get('operation')
    try:
        op = service.operation_model(operation)
    except Exception:  # botocore raises OperationNotFoundError; any miss means the same here
        return [f'unknown Glue operation {operation!r}']
    params = request.get('params')
    errors = []
    report = ParamValidator().validate(params, op.input_shape)
    if report.has_errors():
        # The message botocore raises before sending: "Parameter validation failed:" and a line per problem.
        text = str(ParamValidationError(report=report.generate_report()))
        errors.extend(line.strip() for line in text.splitlines()[1:] if line.strip())
    model_checks(op.input_shape, params, operation, errors)
    return errors


def main():
    requests = json.load(sys.stdin)
    service = botocore.session.get_session().get_service_model('glue')
    out = [{'name': r.get('name'), 'errors': validate(service, r)} for r in requests]
    json.dump({'botocore': botocore.__version__, 'results': out}, sys.stdout)


if __name__ == '__main__':
    main()
