from django.views.generic import TemplateView

from .api import api


class ApiDocsView(TemplateView):
    """The API's documentation in the site's design, read from its OpenAPI document."""

    template_name = "api/docs.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        schema = api.get_openapi_schema()
        operations = []
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                parameters = [{
                    "name": p["name"], "where": p["in"], "required": p.get("required", False),
                    "description": p.get("description") or p["schema"].get("description", ""),
                    "values": values_of(p["schema"]),
                } for p in operation.get("parameters", [])]
                operations.append({"method": method.upper(), "path": path,
                                   "summary": operation.get("summary", ""),
                                   "parameters": parameters,
                                   "responses": sorted(operation.get("responses", {}))})
        return super().get_context_data(operations=operations, info=schema["info"], **kwargs)


def values_of(schema):
    """A parameter's allowed values, in words."""
    items = schema.get("items", schema)
    if "enum" in items:
        words = ", ".join(map(str, items["enum"]))
    elif "minimum" in items or "maximum" in items:
        words = f"a whole number from {items.get('minimum', '')} to {items.get('maximum', '')}"
    else:
        words = {"integer": "a whole number", "string": "text"}.get(items.get("type"), "")
    if schema.get("type") == "array":
        words += " (repeat to give more than one)"
    return words
