/*
 * seen.c — GET /ui/api/sightings?indicator=ID or ?value=V: "who else saw
 * this" as the member's organisation may know it.  The answer is
 * an_who_saw's (analysis.h), the one function `cybercell sightings --org`
 * and TAXII's x-cybercell-sightings give: the same access layer counts
 * the sightings, the same per-member setting names or only counts a
 * member.  Nothing of its own here but the arguments.
 */
#include "ui/ui_int.h"

#include <string.h>

#include "analysis/analysis.h"

#define SEEN_ARG_MAX 1024       /* the longest indicator id or value asked */

void ui_api_seen(const ui_req *r, taxii_response *rs)
{
	an_seen_query q = { .indicator = ui_arg(r->rq, "indicator"), .value = ui_arg(r->rq, "value"),
			    .viewer_org = r->who->org_id };
	const char *arg = q.indicator ? q.indicator : q.value;
	json_t *a = NULL;
	cc_err e;

	if (q.viewer_org <= 0) {        /* viewer 0 is the operator: never a user */
		ui_error(rs, 403, "no organisation");
		return;
	}
	if (!q.indicator == !q.value || !*arg || strlen(arg) > SEEN_ARG_MAX) {
		ui_error(rs, 400, "give indicator=ID or value=V (one of them, up to %d bytes)",
			 SEEN_ARG_MAX);
		return;
	}
	if (an_who_saw(r->s, &q, &a, &e) != 0)
		ui_error(rs, e.code == CC_EUSAGE ? 400 : 500, "%s", e.msg);
	else
		ui_json(rs, 200, a);
}
