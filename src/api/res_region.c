/*
 * res_region.c — regions and vocabularies. Layer: api.
 */
#include <string.h>

#include "api/internal.h"

void api_region_list(struct api_ctx *x) { api_list(x, svc_region_list, &svc_region_spec); }

void api_region_get(struct api_ctx *x)
{
	struct region r;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_region_get(x->svc, &x->actor, x->code, &r, &ei);
	if (e)
		api_reply_err(x, e, &ei);
	else
		api_reply_record(x, 200, &svc_region_spec, &r, false);
}

void api_region_create(struct api_ctx *x)
{
	struct region r;
	memset(&r, 0, sizeof r);
	uint64_t present;
	if (!api_body(x, &svc_region_spec, &r, &present, true))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_region_create(x->svc, &x->actor, &r, present, &ei);
	if (e)
		api_reply_err(x, e, &ei);
	else
		api_reply_record(x, 201, &svc_region_spec, &r, false);
}

void api_region_update(struct api_ctx *x)
{
	struct region in, out;
	memset(&in, 0, sizeof in);
	uint64_t present;
	if (!api_body(x, &svc_region_spec, &in, &present, false))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_region_update(x->svc, &x->actor, x->code, &in, present, &out, &ei);
	if (e)
		api_reply_err(x, e, &ei);
	else
		api_reply_record(x, 200, &svc_region_spec, &out, false);
}

static enum err vocab_rows(struct api_ctx *x, svc_row_fn fn, void *arg, struct errinfo *ei)
{
	const char *kind = x->req->query_get ? x->req->query_get(x->req->query_ctx, "kind") : NULL;
	if (kind && strlen(kind) > LIMIT_CODE_BYTES)
		return errinfo_set(ei, ERR_INVALID, "kind", "过长");
	return svc_vocab_list(x->svc, &x->actor, kind, fn, arg, ei);
}

void api_vocab_list(struct api_ctx *x) { api_rows(x, vocab_rows, &svc_vocab_spec); }

void api_vocab_create(struct api_ctx *x)
{
	struct vocab v;
	memset(&v, 0, sizeof v);
	uint64_t present;
	if (!api_body(x, &svc_vocab_spec, &v, &present, true))
		return;
	struct errinfo ei;
	errinfo_clear(&ei);
	enum err e = svc_vocab_create(x->svc, &x->actor, &v, &ei);
	if (e)
		api_reply_err(x, e, &ei);
	else
		api_reply_record(x, 201, &svc_vocab_spec, &v, false);
}
