/*
 * openapi.c — the OpenAPI 3 document, generated from the route table and
 * the field specs, so it always says what the server does. Layer: api.
 */
#include <stdio.h>
#include <string.h>

#include "api/internal.h"

static json_t *spec_schema(const struct field_spec *spec);

static json_t *field_schema(const struct field *f)
{
	json_t *s = json_object();
	switch (f->type) {
	case F_STR:
		json_object_set_new(s, "type", json_string("string"));
		if (f->max > 0)
			json_object_set_new(s, "maxLength", json_integer((json_int_t)f->max));
		if (f->flags & F_DATE)
			json_object_set_new(s, "format", json_string("date"));
		if (f->flags & F_CODE)
			json_object_set_new(s, "pattern", json_string("^[0-9A-Za-z_-]{1,32}$"));
		break;
	case F_TAGS:
		json_object_set_new(s, "type", json_string("array"));
		json_object_set_new(s, "items", json_pack("{s:s}", "type", "string"));
		if (f->max > 0)
			json_object_set_new(s, "maxItems", json_integer((json_int_t)f->max));
		break;
	case F_IDS:
	case F_OBJS:
		json_object_set_new(s, "type", json_string("array"));
		json_object_set_new(s, "items", f->type == F_IDS
							? json_pack("{s:s, s:i}", "type", "integer",
								    "minimum", 1)
							: spec_schema(f->sub));
		json_object_set_new(s, "maxItems", json_integer((json_int_t)f->max));
		break;
	case F_BOOL:
		json_object_set_new(s, "type", json_string("boolean"));
		break;
	case F_INT:
	case F_I64:
		json_object_set_new(s, "type", json_string("integer"));
		if (f->max > f->min) {
			json_object_set_new(s, "minimum", json_integer((json_int_t)f->min));
			json_object_set_new(s, "maximum", json_integer((json_int_t)f->max));
		}
		break;
	case F_NUM:
		json_object_set_new(s, "type", json_string("number"));
		json_object_set_new(s, "minimum", json_real(f->min));
		json_object_set_new(s, "maximum", json_real(f->max));
		break;
	}
	if (f->flags & F_OUTPUT)
		json_object_set_new(s, "readOnly", json_true());
	if (f->flags & (F_NULLZERO | F_NULLIN))
		json_object_set_new(s, "nullable", json_true());
	return s;
}

static int spec_requires(const struct field_spec *spec)
{
	for (int i = 0; i < spec->n; i++)
		if (spec->fields[i].flags & F_REQUIRED)
			return 1;
	return 0;
}

static json_t *spec_schema(const struct field_spec *spec)
{
	json_t *props = json_object(), *req = json_array();
	for (int i = 0; i < spec->n; i++) {
		json_object_set_new(props, spec->fields[i].name, field_schema(&spec->fields[i]));
		if (spec->fields[i].flags & F_REQUIRED)
			json_array_append_new(req, json_string(spec->fields[i].name));
	}
	json_t *s = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props,
			      "additionalProperties", 0);
	if (json_array_size(req))
		json_object_set_new(s, "required", req);
	else
		json_decref(req);
	return s;
}

static json_t *ref(const char *name)
{
	char r[96];
	snprintf(r, sizeof r, "#/components/schemas/%s", name);
	return json_pack("{s:s}", "$ref", r);
}

static json_t *error_response(const char *desc)
{
	return json_pack("{s:s, s:{s:{s:o}}}", "description", desc, "content", "application/json",
			 "schema", ref("Error"));
}

static json_t *operation(const struct route *r)
{
	json_t *op = json_object();
	json_object_set_new(op, "summary", json_string(r->summary));
	/* Roles, in the words of the route table. */
	json_t *roles = json_array();
	for (int i = 1; i < ROLE__MAX; i++)
		if (r->roles & (1u << i))
			json_array_append_new(roles, json_string(role_name((enum role)i)));
	json_object_set_new(op, "x-roles", roles);
	if (r->roles == R_PUBLIC)
		json_object_set_new(op, "security", json_array());
	json_t *params = json_array();
	const char *p = strchr(r->pattern, '{');
	if (p) {
		char name[16];
		size_t n = strcspn(p + 1, "}");
		snprintf(name, sizeof name, "%.*s", (int)n, p + 1);
		json_array_append_new(params,
				      json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in", "path",
						"required", 1, "schema", "type",
						strcmp(name, "id") ? "string" : "integer"));
	}
	for (int i = 0; r->query && r->query[i]; i++)
		json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s}}", "name", r->query[i],
							"in", "query", "schema", "type",
							strcmp(r->query[i], "limit") &&
									strcmp(r->query[i], "offset") &&
									strcmp(r->query[i], "level") &&
									strcmp(r->query[i], "flag")
								? "string"
								: "integer"));
	json_object_set_new(op, "parameters", params);
	if (r->accept) {
		/* An upload: the file's bytes, of one of the accepted types. */
		json_t *content = json_object();
		for (int i = 0; r->accept[i]; i++)
			json_object_set_new(content, r->accept[i],
					    json_pack("{s:{s:s, s:s}}", "schema", "type", "string",
						      "format", "binary"));
		json_object_set_new(op, "requestBody",
				    json_pack("{s:b, s:o}", "required", 1, "content", content));
	} else if (r->body)
		/* A body whose fields are all optional may be left out. */
		json_object_set_new(op, "requestBody",
				    json_pack("{s:b, s:{s:{s:o}}}", "required", spec_requires(r->body),
					      "content", "application/json", "schema",
					      ref(r->body->name)));
	else if (strcmp(r->method, "GET"))
		json_object_set_new(op, "requestBody",
				    json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 0, "content",
					      "application/json", "schema", "type", "object"));
	json_t *ok;
	if (r->response && r->list)
		ok = json_pack("{s:s, s:{s:{s:{s:s, s:{s:{s:s, s:o}, s:{s:s}}}}}}", "description",
			       "OK", "content", "application/json", "schema", "type", "object",
			       "properties", "items", "type", "array", "items",
			       ref(r->response->name), "total", "type", "integer");
	else if (r->response)
		ok = json_pack("{s:s, s:{s:{s:o}}}", "description", "OK", "content",
			       "application/json", "schema", ref(r->response->name));
	else
		ok = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "OK", "content",
			       "application/json", "schema", "type", "object");
	/* A file answered (exports, templates): its type, not JSON. */
	size_t plen = strlen(r->pattern);
	bool xlsx = plen > 5 && !strcmp(r->pattern + plen - 5, ".xlsx");
	bool csv = plen > 4 && !strcmp(r->pattern + plen - 4, ".csv");
	if (xlsx || csv) {
		json_decref(ok);
		ok = json_pack("{s:s, s:{s:{s:{s:s, s:s}}}}", "description", "The file", "content",
			       xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
				    : "text/csv",
			       "schema", "type", "string", "format", "binary");
	}
	json_t *resp = json_object();
	json_object_set_new(resp, strcmp(r->method, "POST") == 0 && r->body && r->response &&
						  !strstr(r->pattern, "transitions")
					  ? "201"
					  : "200",
			    ok);
	json_object_set_new(resp, "400", error_response("Invalid input (field named)"));
	if (r->roles != R_PUBLIC) {
		json_object_set_new(resp, "401", error_response("No or expired session"));
		json_object_set_new(resp, "403", error_response("Role or jurisdiction refuses"));
	}
	if (strchr(r->pattern, '{'))
		json_object_set_new(resp, "404", error_response("Not found"));
	if (strcmp(r->method, "GET")) {
		json_object_set_new(resp, "409", error_response("Conflict or illegal transition"));
		json_object_set_new(resp, "413", error_response("Body too large"));
		json_object_set_new(resp, "422", error_response("Fails a domain rule"));
	}
	if (!strcmp(r->pattern, "/api/v1/auth/login"))
		json_object_set_new(resp, "429", error_response("Too many failed logins"));
	json_object_set_new(op, "responses", resp);
	return op;
}

json_t *api_openapi(void)
{
	json_t *paths = json_object();
	for (int i = 0; i < api_nroutes; i++) {
		const struct route *r = &api_routes[i];
		char path[128], method[16];
		snprintf(path, sizeof path, "%s", r->pattern + strlen("/api/v1"));
		size_t k = 0;
		for (; r->method[k] && k + 1 < sizeof method; k++)
			method[k] = (char)(r->method[k] - 'A' + 'a');
		method[k] = '\0';
		json_t *item = json_object_get(paths, path);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, path, item);
		}
		json_object_set_new(item, method, operation(r));
	}
	const struct field_spec *specs[] = {&svc_region_spec, &svc_vocab_spec, &svc_mentor_spec,
					    &svc_transition_spec, &svc_mentor_org_spec,
					    &svc_menu_spec, &svc_org_spec, &svc_org_star_spec,
					    &svc_mentee_spec, &svc_user_spec};
	json_t *schemas = json_object();
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		json_object_set_new(schemas, specs[i]->name, spec_schema(specs[i]));
	/* Every body and answer a route names has its schema. */
	for (int i = 0; i < api_nroutes; i++) {
		const struct field_spec *sp[] = {api_routes[i].body, api_routes[i].response};
		for (int k = 0; k < 2; k++)
			if (sp[k] && !json_object_get(schemas, sp[k]->name))
				json_object_set_new(schemas, sp[k]->name, spec_schema(sp[k]));
	}
	json_object_set_new(
		schemas, "Error",
		json_pack("{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s, s:b}, s:{s:s}, s:{s:s}}}}}",
			  "type", "object", "properties", "error", "type", "object", "properties",
			  "code", "type", "string", "message", "type", "string", "field", "type",
			  "string", "nullable", 1, "row", "type", "integer", "column", "type",
			  "integer"));
	return json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:o, s:{s:{s:s, s:s}}}, "
			 "s:[{s:[]}]}",
			 "openapi", "3.0.3", "info", "title", "bangdai 导师帮带制 API", "version",
			 "1.0.0", "description",
			 "Mentor guidance programme. Authenticate with POST /auth/login, then send "
			 "Authorization: Bearer TOKEN.",
			 "servers", "url", "/api/v1", "paths", paths, "components", "schemas",
			 schemas, "securitySchemes", "bearer", "type", "http", "scheme", "bearer",
			 "security", "bearer");
}
