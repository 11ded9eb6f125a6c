/*
 * wargame.c — the war games of the UI: the models of the member's
 * organisation (a folder of the hub's), a run against an adversary as the
 * member sees it, and the HTML report.
 */
#include "ui/ui_int.h"

void ui_api_wargame_models(const ui_req *r, taxii_response *rs)
{
	(void)r;
	ui_error(rs, 501, "war games are not served yet");
}

void ui_api_wargame_run(const ui_req *r, taxii_response *rs)
{
	(void)r;
	ui_error(rs, 501, "war games are not served yet");
}

void ui_api_wargame_report(const ui_req *r, taxii_response *rs)
{
	(void)r;
	ui_error(rs, 501, "war games are not served yet");
}
