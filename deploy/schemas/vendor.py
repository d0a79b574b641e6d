#!/usr/bin/env python3
"""Vendors the part of the Kubernetes API's OpenAPI definitions that Lethe's manifests use, as
JSON Schema (draft 4 vocabulary), into kubernetes-<version>/.

Input: the Kubernetes OpenAPI v2 document (swagger.json) of one release, e.g. the one that
kubernetes-client/python ships as kubernetes/swagger.json.unprocessed for that release.
Output: definitions.json (every definition the listed kinds reach, transitively) and kinds.json
("apiVersion kind" -> definition name). Like kubeconform's "strict" schemas, objects refuse
properties they do not declare, IntOrString accepts an integer or a string and Quantity a number
or a string; descriptions are dropped to keep the file small.

    python3 vendor.py swagger.json 1.36
"""
import json
import sys

KINDS = [
    ("apps/v1", "StatefulSet"), ("apps/v1", "Deployment"), ("v1", "Service"),
    ("v1", "Secret"), ("v1", "ConfigMap"), ("v1", "ServiceAccount"),
    ("policy/v1", "PodDisruptionBudget"), ("v1", "Namespace"),
]
SPECIAL = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": ["integer", "string"]},
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": ["number", "string"]},
}


def clean(node):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "description" or key.startswith("x-kubernetes-") and key != "x-kubernetes-group-version-kind":
                continue
            out[key] = clean(value)
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        if out.get("type") == "object" or "properties" in out:
            # null is how YAML spells an empty map (`labels:` with nothing under it)
            out["type"] = ["object", "null"] if "properties" not in out else "object"
        return out
    if isinstance(node, list):
        return [clean(item) for item in node]
    return node


def refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref:
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            refs(value, found)
    elif isinstance(node, list):
        for item in node:
            refs(item, found)


def main(swagger_path, version):
    definitions = json.load(open(swagger_path))["definitions"]
    kinds = {}
    for name, schema in definitions.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            api = gvk["version"] if not gvk["group"] else gvk["group"] + "/" + gvk["version"]
            if (api, gvk["kind"]) in KINDS:
                kinds[api + " " + gvk["kind"]] = name
    wanted, todo = set(), list(kinds.values())
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        if name not in SPECIAL:
            found = set()
            refs(definitions[name], found)
            todo.extend(found - wanted)
    vendored = {name: SPECIAL.get(name) or clean(definitions[name]) for name in sorted(wanted)}
    folder = "kubernetes-" + version
    with open(folder + "/definitions.json", "w") as out:
        json.dump({"definitions": vendored}, out, indent=1, sort_keys=True)
        out.write("\n")
    with open(folder + "/kinds.json", "w") as out:
        json.dump(dict(sorted(kinds.items())), out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
