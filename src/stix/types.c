/*
 * types.c — the STIX 2.1 (CS02) types as static property tables: the 19
 * SDOs, 2 SROs, 18 SCOs, marking-definition, language-content,
 * extension-definition and bundle, their nested structures and the
 * predefined SCO extensions.  Cross-property rules live in rules.c.
 * Only CLOSED enumerations are K_ENUM; open vocabularies are plain strings.
 */
#include <string.h>

#include "stix/stix_int.h"

#define P(n, k, f) { .name = (n), .kind = (k), .flags = (f) }
#define S(n) P(n, K_STR, 0)
#define SQ(n) P(n, K_STR, PF_REQ)
#define TS(n) P(n, K_TS, 0)
#define STRS(n) P(n, K_STRS, 0)
#define BOOL(n) P(n, K_BOOL, 0)
#define INT(n, f, l, h) { .name = (n), .kind = K_INT, .flags = (f) | PF_RANGE, \
			  .lo = (l), .hi = (h) }
#define UINT(n) INT(n, 0, 0, 9007199254740991.0)
#define REF(n, f, m, l) { .name = (n), .kind = K_REF, .flags = (f), \
			  .targets = (m), .vals = (l) }
#define REFS(n, f, m, l) { .name = (n), .kind = K_REFS, .flags = (f), \
			   .targets = (m), .vals = (l) }
#define ENUM(n, f, l) { .name = (n), .kind = K_ENUM, .flags = (f), .vals = (l) }
#define OBJ(n, k, f, t) { .name = (n), .kind = (k), .flags = (f), .sub = &(t) }
#define TABLE(name, rule) { name, sizeof(name) / sizeof(name[0]), rule }

#define ANYOBJ (STIX_CLS_SDO | STIX_CLS_SRO | STIX_CLS_SCO | STIX_CLS_MARK | \
		STIX_CLS_LC | STIX_CLS_EXTDEF | STIX_CLS_CUSTOM)
#define SDO_SCO (STIX_CLS_SDO | STIX_CLS_SCO | STIX_CLS_CUSTOM)

/* Reference target lists. */
static const char *const t_identity[] = { "identity", NULL };
static const char *const t_marking[] = { "marking-definition", NULL };
static const char *const t_software[] = { "software", NULL };
static const char *const t_file_artifact[] = { "file", "artifact", NULL };
static const char *const t_sample[] = { "file", "network-traffic", "artifact", NULL };
static const char *const t_observed[] = { "observed-data", NULL };
static const char *const t_where[] = { "identity", "location", NULL };
static const char *const t_file_dir[] = { "file", "directory", NULL };
static const char *const t_resolves[] = { "ipv4-addr", "ipv6-addr", "domain-name", NULL };
static const char *const t_user[] = { "user-account", NULL };
static const char *const t_email[] = { "email-addr", NULL };
static const char *const t_artifact[] = { "artifact", NULL };
static const char *const t_directory[] = { "directory", NULL };
static const char *const t_mac[] = { "mac-addr", NULL };
static const char *const t_as[] = { "autonomous-system", NULL };
static const char *const t_endpoint[] = { "ipv4-addr", "ipv6-addr", "mac-addr",
					   "domain-name", NULL };
static const char *const t_traffic[] = { "network-traffic", NULL };
static const char *const t_process[] = { "process", NULL };
static const char *const t_file[] = { "file", NULL };

/* Closed enumerations. */
static const char *const e_opinion[] = { "strongly-disagree", "disagree",
	"neutral", "agree", "strongly-agree", NULL };
static const char *const e_encryption[] = { "AES-256-GCM", "ChaCha20-Poly1305",
	"mime-type-indicated", NULL };
const char *const stix_ext_types[] = { "new-sdo", "new-sco", "new-sro",
	"property-extension", "toplevel-property-extension", NULL };
static const char *const e_integrity[] = { "low", "medium", "high", "system", NULL };
static const char *const e_start_type[] = { "SERVICE_AUTO_START",
	"SERVICE_BOOT_START", "SERVICE_DEMAND_START", "SERVICE_DISABLED",
	"SERVICE_SYSTEM_ALERT", NULL };
static const char *const e_service_type[] = { "SERVICE_KERNEL_DRIVER",
	"SERVICE_FILE_SYSTEM_DRIVER", "SERVICE_WIN32_OWN_PROCESS",
	"SERVICE_WIN32_SHARE_PROCESS", NULL };
static const char *const e_service_status[] = { "SERVICE_CONTINUE_PENDING",
	"SERVICE_PAUSE_PENDING", "SERVICE_PAUSED", "SERVICE_RUNNING",
	"SERVICE_START_PENDING", "SERVICE_STOP_PENDING", "SERVICE_STOPPED", NULL };
static const char *const e_address_family[] = { "AF_UNSPEC", "AF_INET", "AF_IPX",
	"AF_APPLETALK", "AF_NETBIOS", "AF_INET6", "AF_IRDA", "AF_BTH", NULL };
static const char *const e_socket_type[] = { "SOCK_STREAM", "SOCK_DGRAM",
	"SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET", NULL };
static const char *const e_reg_type[] = { "REG_NONE", "REG_SZ", "REG_EXPAND_SZ",
	"REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN", "REG_DWORD_LITTLE_ENDIAN",
	"REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST",
	"REG_FULL_RESOURCE_DESCRIPTION", "REG_RESOURCE_REQUIREMENTS_LIST",
	"REG_QWORD", "REG_INVALID_TYPE", NULL };

/* ---- nested structures ---- */

static const stix_prop p_extref[] = {
	SQ("source_name"), S("description"), S("url"),
	P("hashes", K_HASHES, 0), S("external_id"),
};
static const stix_table t_extref = TABLE(p_extref, stix_rule_external_reference);

static const stix_prop p_kcp[] = { SQ("kill_chain_name"), SQ("phase_name") };
static const stix_table t_kcp = TABLE(p_kcp, NULL);

static const stix_prop p_gm[] = {
	S("lang"), REF("marking_ref", 0, STIX_CLS_MARK, NULL),
	P("selectors", K_STRS, PF_REQ),
};
static const stix_table t_gm = TABLE(p_gm, stix_rule_granular_marking);

static const stix_prop p_mime[] = {
	S("body"), REF("body_raw_ref", 0, 0, t_file_artifact), S("content_type"),
	S("content_disposition"),
};
static const stix_table t_mime = TABLE(p_mime, stix_rule_mime_part);

static const stix_prop p_regval[] = {
	S("name"), S("data"), ENUM("data_type", 0, e_reg_type),
};
static const stix_table t_regval = TABLE(p_regval, NULL);

static const stix_prop p_v3[] = {
	S("basic_constraints"), S("name_constraints"), S("policy_constraints"),
	S("key_usage"), S("extended_key_usage"), S("subject_key_identifier"),
	S("authority_key_identifier"), S("subject_alternative_name"),
	S("issuer_alternative_name"), S("subject_directory_attributes"),
	S("crl_distribution_points"), S("inhibit_any_policy"),
	TS("private_key_usage_period_not_before"),
	TS("private_key_usage_period_not_after"), S("certificate_policies"),
	S("policy_mappings"),
};
static const stix_table t_v3 = TABLE(p_v3, NULL);

static const stix_prop p_ads[] = {
	SQ("name"), P("hashes", K_HASHES, 0), UINT("size"),
};
static const stix_table t_ads = TABLE(p_ads, NULL);

/* ---- common properties ---- */

static const stix_prop p_common_sdo[] = {
	P("type", K_ANY, 0), P("spec_version", K_ANY, 0), P("id", K_ANY, 0),
	REF("created_by_ref", 0, 0, t_identity),
	P("created", K_TS, PF_REQ), P("modified", K_TS, PF_REQ),
	BOOL("revoked"), STRS("labels"), INT("confidence", 0, 0, 100), S("lang"),
	OBJ("external_references", K_OBJS, 0, t_extref),
	REFS("object_marking_refs", 0, 0, t_marking),
	OBJ("granular_markings", K_OBJS, 0, t_gm),
	P("extensions", K_EXTS, 0),
};
const stix_table stix_common_sdo = TABLE(p_common_sdo, NULL);

static const stix_prop p_common_sco[] = {
	P("type", K_ANY, 0), P("spec_version", K_ANY, 0), P("id", K_ANY, 0),
	REFS("object_marking_refs", 0, 0, t_marking),
	OBJ("granular_markings", K_OBJS, 0, t_gm),
	BOOL("defanged"), P("extensions", K_EXTS, 0),
};
const stix_table stix_common_sco = TABLE(p_common_sco, NULL);

#define KCP OBJ("kill_chain_phases", K_OBJS, 0, t_kcp)

/* ---- SDOs ---- */

static const stix_prop p_attack_pattern[] = {
	SQ("name"), S("description"), STRS("aliases"), KCP,
};
static const stix_prop p_campaign[] = {
	SQ("name"), S("description"), STRS("aliases"), TS("first_seen"),
	TS("last_seen"), S("objective"),
};
static const stix_prop p_course_of_action[] = { SQ("name"), S("description") };
static const stix_prop p_grouping[] = {
	S("name"), S("description"), SQ("context"),
	REFS("object_refs", PF_REQ, ANYOBJ, NULL),
};
static const stix_prop p_identity[] = {
	SQ("name"), S("description"), STRS("roles"), S("identity_class"),
	STRS("sectors"), S("contact_information"),
};
static const stix_prop p_incident[] = { SQ("name"), S("description"), KCP };
static const stix_prop p_indicator[] = {
	S("name"), S("description"), STRS("indicator_types"), SQ("pattern"),
	SQ("pattern_type"), S("pattern_version"), P("valid_from", K_TS, PF_REQ),
	TS("valid_until"), KCP,
};
static const stix_prop p_infrastructure[] = {
	SQ("name"), S("description"), STRS("infrastructure_types"),
	STRS("aliases"), KCP, TS("first_seen"), TS("last_seen"),
};
static const stix_prop p_intrusion_set[] = {
	SQ("name"), S("description"), STRS("aliases"), TS("first_seen"),
	TS("last_seen"), STRS("goals"), S("resource_level"),
	S("primary_motivation"), STRS("secondary_motivations"),
};
static const stix_prop p_location[] = {
	S("name"), S("description"),
	{ .name = "latitude", .kind = K_FLOAT, .flags = PF_RANGE, .lo = -90, .hi = 90 },
	{ .name = "longitude", .kind = K_FLOAT, .flags = PF_RANGE, .lo = -180, .hi = 180 },
	{ .name = "precision", .kind = K_FLOAT, .flags = PF_RANGE, .lo = 0, .hi = 1e300 },
	S("region"), S("country"), S("administrative_area"), S("city"),
	S("street_address"), S("postal_code"),
};
static const stix_prop p_malware[] = {
	S("name"), S("description"), STRS("malware_types"),
	P("is_family", K_BOOL, PF_REQ), STRS("aliases"), KCP, TS("first_seen"),
	TS("last_seen"), REFS("operating_system_refs", 0, 0, t_software),
	STRS("architecture_execution_envs"), STRS("implementation_languages"),
	STRS("capabilities"), REFS("sample_refs", 0, 0, t_file_artifact),
};
static const stix_prop p_malware_analysis[] = {
	SQ("product"), S("version"), REF("host_vm_ref", 0, 0, t_software),
	REF("operating_system_ref", 0, 0, t_software),
	REFS("installed_software_refs", 0, 0, t_software),
	S("configuration_version"), STRS("modules"), S("analysis_engine_version"),
	S("analysis_definition_version"), TS("submitted"), TS("analysis_started"),
	TS("analysis_ended"), S("result_name"), S("result"),
	REFS("analysis_sco_refs", 0, STIX_CLS_SCO | STIX_CLS_CUSTOM, NULL),
	REF("sample_ref", 0, 0, t_sample),
};
static const stix_prop p_note[] = {
	S("abstract"), SQ("content"), STRS("authors"),
	REFS("object_refs", PF_REQ, ANYOBJ, NULL),
};
static const stix_prop p_observed_data[] = {
	P("first_observed", K_TS, PF_REQ), P("last_observed", K_TS, PF_REQ),
	INT("number_observed", PF_REQ, 1, 999999999), P("objects", K_DICT, 0),
	REFS("object_refs", 0, STIX_CLS_SCO | STIX_CLS_SRO | STIX_CLS_CUSTOM, NULL),
};
static const stix_prop p_opinion[] = {
	S("explanation"), STRS("authors"), ENUM("opinion", PF_REQ, e_opinion),
	REFS("object_refs", PF_REQ, ANYOBJ, NULL),
};
static const stix_prop p_report[] = {
	SQ("name"), S("description"), STRS("report_types"),
	P("published", K_TS, PF_REQ), REFS("object_refs", PF_REQ, ANYOBJ, NULL),
};
static const stix_prop p_threat_actor[] = {
	SQ("name"), S("description"), STRS("threat_actor_types"), STRS("aliases"),
	TS("first_seen"), TS("last_seen"), STRS("roles"), STRS("goals"),
	S("sophistication"), S("resource_level"), S("primary_motivation"),
	STRS("secondary_motivations"), STRS("personal_motivations"),
};
static const stix_prop p_tool[] = {
	SQ("name"), S("description"), STRS("tool_types"), STRS("aliases"), KCP,
	S("tool_version"),
};
static const stix_prop p_vulnerability[] = { SQ("name"), S("description") };

/* ---- SROs ---- */

static const stix_prop p_relationship[] = {
	SQ("relationship_type"), S("description"),
	REF("source_ref", PF_REQ, SDO_SCO, NULL),
	REF("target_ref", PF_REQ, SDO_SCO, NULL),
	TS("start_time"), TS("stop_time"),
};
static const stix_prop p_sighting[] = {
	S("description"), TS("first_seen"), TS("last_seen"),
	INT("count", 0, 0, 999999999),
	REF("sighting_of_ref", PF_REQ, STIX_CLS_SDO | STIX_CLS_CUSTOM, NULL),
	REFS("observed_data_refs", 0, 0, t_observed),
	REFS("where_sighted_refs", 0, 0, t_where), BOOL("summary"),
};

/* ---- meta objects ---- */

static const stix_prop p_language_content[] = {
	REF("object_ref", PF_REQ, ANYOBJ & ~STIX_CLS_LC, NULL),
	TS("object_modified"), P("contents", K_DICT, PF_REQ),
};
static const stix_prop p_extension_definition[] = {
	REF("created_by_ref", PF_REQ, 0, t_identity), SQ("name"), S("description"),
	SQ("schema"), SQ("version"),
	{ .name = "extension_types", .kind = K_ENUMS, .flags = PF_REQ,
	  .vals = stix_ext_types },
	STRS("extension_properties"),
};
static const stix_prop p_marking_definition[] = {
	P("type", K_ANY, 0), P("spec_version", K_ANY, 0), P("id", K_ANY, 0),
	REF("created_by_ref", 0, 0, t_identity), P("created", K_TS, PF_REQ),
	OBJ("external_references", K_OBJS, 0, t_extref),
	REFS("object_marking_refs", 0, 0, t_marking),
	OBJ("granular_markings", K_OBJS, 0, t_gm), P("extensions", K_EXTS, 0),
	S("name"), S("definition_type"), P("definition", K_DICT, 0),
};
static const stix_prop p_bundle[] = { P("objects", K_LIST, 0) };

/* ---- SCOs ---- */

static const stix_prop p_artifact[] = {
	S("mime_type"), P("payload_bin", K_BIN, 0), S("url"),
	P("hashes", K_HASHES, 0), ENUM("encryption_algorithm", 0, e_encryption),
	S("decryption_key"),
};
static const stix_prop p_autonomous_system[] = {
	INT("number", PF_REQ, 0, 4294967295.0), S("name"), S("rir"),
};
static const stix_prop p_directory[] = {
	SQ("path"), S("path_enc"), TS("ctime"), TS("mtime"), TS("atime"),
	REFS("contains_refs", 0, 0, t_file_dir),
};
static const stix_prop p_domain_name[] = {
	SQ("value"), REFS("resolves_to_refs", 0, 0, t_resolves),
};
static const stix_prop p_email_addr[] = {
	SQ("value"), S("display_name"), REF("belongs_to_ref", 0, 0, t_user),
};
static const stix_prop p_email_message[] = {
	P("is_multipart", K_BOOL, PF_REQ), TS("date"), S("content_type"),
	REF("from_ref", 0, 0, t_email), REF("sender_ref", 0, 0, t_email),
	REFS("to_refs", 0, 0, t_email), REFS("cc_refs", 0, 0, t_email),
	REFS("bcc_refs", 0, 0, t_email), S("message_id"), S("subject"),
	STRS("received_lines"), P("additional_header_fields", K_DICT, 0),
	S("body"), OBJ("body_multipart", K_OBJS, 0, t_mime),
	REF("raw_email_ref", 0, 0, t_artifact),
};
static const stix_prop p_file[] = {
	P("hashes", K_HASHES, 0), UINT("size"), S("name"), S("name_enc"),
	P("magic_number_hex", K_HEX, 0), S("mime_type"), TS("ctime"), TS("mtime"),
	TS("atime"), REF("parent_directory_ref", 0, 0, t_directory),
	REFS("contains_refs", 0, STIX_CLS_SCO | STIX_CLS_CUSTOM, NULL),
	REF("content_ref", 0, 0, t_artifact),
};
static const stix_prop p_ip_addr[] = {
	SQ("value"), REFS("resolves_to_refs", 0, 0, t_mac),
	REFS("belongs_to_refs", 0, 0, t_as),
};
static const stix_prop p_mac_addr[] = { SQ("value") };
static const stix_prop p_mutex[] = { SQ("name") };
static const stix_prop p_network_traffic[] = {
	TS("start"), TS("end"), BOOL("is_active"),
	REF("src_ref", 0, 0, t_endpoint), REF("dst_ref", 0, 0, t_endpoint),
	INT("src_port", 0, 0, 65535), INT("dst_port", 0, 0, 65535),
	P("protocols", K_STRS, PF_REQ), UINT("src_byte_count"),
	UINT("dst_byte_count"), UINT("src_packets"),
	UINT("dst_packets"), P("ipfix", K_DICT, 0),
	REF("src_payload_ref", 0, 0, t_artifact),
	REF("dst_payload_ref", 0, 0, t_artifact),
	REFS("encapsulates_refs", 0, 0, t_traffic),
	REF("encapsulated_by_ref", 0, 0, t_traffic),
};
static const stix_prop p_process[] = {
	BOOL("is_hidden"), P("pid", K_INT, 0), TS("created_time"), S("cwd"),
	S("command_line"), P("environment_variables", K_DICT, 0),
	REFS("opened_connection_refs", 0, 0, t_traffic),
	REF("creator_user_ref", 0, 0, t_user), REF("image_ref", 0, 0, t_file),
	REF("parent_ref", 0, 0, t_process), REFS("child_refs", 0, 0, t_process),
};
static const stix_prop p_software[] = {
	SQ("name"), S("cpe"), S("swid"), STRS("languages"), S("vendor"),
	S("version"),
};
static const stix_prop p_url[] = { SQ("value") };
static const stix_prop p_user_account[] = {
	S("user_id"), S("credential"), S("account_login"), S("account_type"),
	S("display_name"), BOOL("is_service_account"), BOOL("is_privileged"),
	BOOL("can_escalate_privs"), BOOL("is_disabled"), TS("account_created"),
	TS("account_expires"), TS("credential_last_changed"),
	TS("account_first_login"), TS("account_last_login"),
};
static const stix_prop p_registry_key[] = {
	S("key"), OBJ("values", K_OBJS, 0, t_regval), TS("modified_time"),
	REF("creator_user_ref", 0, 0, t_user),
	UINT("number_of_subkeys"),
};
static const stix_prop p_x509[] = {
	BOOL("is_self_signed"), P("hashes", K_HASHES, 0), S("version"),
	S("serial_number"), S("signature_algorithm"), S("issuer"),
	TS("validity_not_before"), TS("validity_not_after"), S("subject"),
	S("subject_public_key_algorithm"), S("subject_public_key_modulus"),
	P("subject_public_key_exponent", K_INT, 0),
	OBJ("x509_v3_extensions", K_OBJ, 0, t_v3),
};

/* ---- predefined SCO extensions ---- */

static const stix_prop p_archive_ext[] = {
	REFS("contains_refs", PF_REQ, 0, t_file_dir), S("comment"),
};
static const stix_prop p_ntfs_ext[] = {
	S("sid"), OBJ("alternate_data_streams", K_OBJS, 0, t_ads),
};
static const stix_prop p_pdf_ext[] = {
	S("version"), BOOL("is_optimized"), P("document_info_dict", K_DICT, 0),
	S("pdfid0"), S("pdfid1"),
};
static const stix_prop p_raster_ext[] = {
	P("image_height", K_INT, 0), P("image_width", K_INT, 0),
	P("bits_per_pixel", K_INT, 0), P("exif_tags", K_DICT, 0),
};
static const stix_prop p_pebinary_ext[] = {
	SQ("pe_type"), S("imphash"), P("machine_hex", K_HEX, 0),
	UINT("number_of_sections"), TS("time_date_stamp"),
	P("pointer_to_symbol_table_hex", K_HEX, 0),
	UINT("number_of_symbols"),
	UINT("size_of_optional_header"),
	P("characteristics_hex", K_HEX, 0), P("file_header_hashes", K_HASHES, 0),
	P("optional_header", K_DICT, 0), P("sections", K_LIST, 0),
};
static const stix_prop p_http_ext[] = {
	SQ("request_method"), SQ("request_value"), S("request_version"),
	P("request_header", K_DICT, 0), P("message_body_length", K_INT, 0),
	REF("message_body_data_ref", 0, 0, t_artifact),
};
static const stix_prop p_icmp_ext[] = {
	P("icmp_type_hex", K_HEX, PF_REQ), P("icmp_code_hex", K_HEX, PF_REQ),
};
static const stix_prop p_socket_ext[] = {
	ENUM("address_family", PF_REQ, e_address_family), BOOL("is_blocking"),
	BOOL("is_listening"), P("options", K_DICT, 0),
	ENUM("socket_type", 0, e_socket_type),
	P("socket_descriptor", K_INT, 0), P("socket_handle", K_INT, 0),
};
static const stix_prop p_tcp_ext[] = {
	P("src_flags_hex", K_HEX, 0), P("dst_flags_hex", K_HEX, 0),
};
static const stix_prop p_winproc_ext[] = {
	BOOL("aslr_enabled"), BOOL("dep_enabled"), S("priority"), S("owner_sid"),
	S("window_title"), P("startup_info", K_DICT, 0),
	ENUM("integrity_level", 0, e_integrity),
};
static const stix_prop p_winsvc_ext[] = {
	S("service_name"), STRS("descriptions"), S("display_name"),
	S("group_name"), ENUM("start_type", 0, e_start_type),
	REFS("service_dll_refs", 0, 0, t_file),
	ENUM("service_type", 0, e_service_type),
	ENUM("service_status", 0, e_service_status),
};
static const stix_prop p_unix_ext[] = {
	P("gid", K_INT, 0), STRS("groups"), S("home_dir"), S("shell"),
};

#define T(name, cls, props, rule) \
	{ name, cls, &(const stix_table)TABLE(props, rule) }

/* Sorted by name for stix_type_find. */
const stix_type stix_types[] = {
	T("artifact", STIX_CLS_SCO, p_artifact, stix_rule_artifact),
	T("attack-pattern", STIX_CLS_SDO, p_attack_pattern, NULL),
	T("autonomous-system", STIX_CLS_SCO, p_autonomous_system, NULL),
	T("bundle", STIX_CLS_BUNDLE, p_bundle, NULL),
	T("campaign", STIX_CLS_SDO, p_campaign, stix_rule_seen),
	T("course-of-action", STIX_CLS_SDO, p_course_of_action, NULL),
	T("directory", STIX_CLS_SCO, p_directory, NULL),
	T("domain-name", STIX_CLS_SCO, p_domain_name, NULL),
	T("email-addr", STIX_CLS_SCO, p_email_addr, NULL),
	T("email-message", STIX_CLS_SCO, p_email_message, stix_rule_email_message),
	T("extension-definition", STIX_CLS_EXTDEF, p_extension_definition, NULL),
	T("file", STIX_CLS_SCO, p_file, stix_rule_file),
	T("grouping", STIX_CLS_SDO, p_grouping, NULL),
	T("identity", STIX_CLS_SDO, p_identity, NULL),
	T("incident", STIX_CLS_SDO, p_incident, NULL),
	T("indicator", STIX_CLS_SDO, p_indicator, stix_rule_indicator),
	T("infrastructure", STIX_CLS_SDO, p_infrastructure, stix_rule_seen),
	T("intrusion-set", STIX_CLS_SDO, p_intrusion_set, stix_rule_seen),
	T("ipv4-addr", STIX_CLS_SCO, p_ip_addr, stix_rule_ipv4),
	T("ipv6-addr", STIX_CLS_SCO, p_ip_addr, stix_rule_ipv6),
	T("language-content", STIX_CLS_LC, p_language_content, NULL),
	T("location", STIX_CLS_SDO, p_location, stix_rule_location),
	T("mac-addr", STIX_CLS_SCO, p_mac_addr, stix_rule_mac),
	T("malware", STIX_CLS_SDO, p_malware, stix_rule_malware),
	T("malware-analysis", STIX_CLS_SDO, p_malware_analysis, stix_rule_malware_analysis),
	T("marking-definition", STIX_CLS_MARK, p_marking_definition, stix_rule_marking),
	T("mutex", STIX_CLS_SCO, p_mutex, NULL),
	T("network-traffic", STIX_CLS_SCO, p_network_traffic, stix_rule_network_traffic),
	T("note", STIX_CLS_SDO, p_note, NULL),
	T("observed-data", STIX_CLS_SDO, p_observed_data, stix_rule_observed_data),
	T("opinion", STIX_CLS_SDO, p_opinion, NULL),
	T("process", STIX_CLS_SCO, p_process, stix_rule_at_least_one),
	T("relationship", STIX_CLS_SRO, p_relationship, stix_rule_relationship),
	T("report", STIX_CLS_SDO, p_report, NULL),
	T("sighting", STIX_CLS_SRO, p_sighting, stix_rule_seen),
	T("software", STIX_CLS_SCO, p_software, NULL),
	T("threat-actor", STIX_CLS_SDO, p_threat_actor, stix_rule_seen),
	T("tool", STIX_CLS_SDO, p_tool, NULL),
	T("url", STIX_CLS_SCO, p_url, NULL),
	T("user-account", STIX_CLS_SCO, p_user_account, NULL),
	T("vulnerability", STIX_CLS_SDO, p_vulnerability, NULL),
	T("windows-registry-key", STIX_CLS_SCO, p_registry_key, NULL),
	T("x509-certificate", STIX_CLS_SCO, p_x509, stix_rule_at_least_one),
};
static const size_t stix_ntypes = sizeof(stix_types) / sizeof(stix_types[0]);

const stix_type *stix_type_find(const char *s, size_t n)
{
	size_t lo = 0, hi = stix_ntypes;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *name = stix_types[mid].name;
		int c = strncmp(name, s, n);

		if (c == 0)
			c = name[n] == '\0' ? 0 : 1;
		if (c == 0)
			return &stix_types[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct {
	const char *type, *ext;
	stix_table table;
} sco_exts[] = {
	{ "file", "archive-ext", TABLE(p_archive_ext, NULL) },
	{ "file", "ntfs-ext", TABLE(p_ntfs_ext, NULL) },
	{ "file", "pdf-ext", TABLE(p_pdf_ext, NULL) },
	{ "file", "raster-image-ext", TABLE(p_raster_ext, NULL) },
	{ "file", "windows-pebinary-ext", TABLE(p_pebinary_ext, NULL) },
	{ "network-traffic", "http-request-ext", TABLE(p_http_ext, NULL) },
	{ "network-traffic", "icmp-ext", TABLE(p_icmp_ext, NULL) },
	{ "network-traffic", "socket-ext", TABLE(p_socket_ext, NULL) },
	{ "network-traffic", "tcp-ext", TABLE(p_tcp_ext, NULL) },
	{ "process", "windows-process-ext", TABLE(p_winproc_ext, NULL) },
	{ "process", "windows-service-ext", TABLE(p_winsvc_ext, NULL) },
	{ "user-account", "unix-account-ext", TABLE(p_unix_ext, NULL) },
};

const stix_table *stix_sco_ext_find(const char *type, const char *ext)
{
	for (size_t i = 0; i < sizeof(sco_exts) / sizeof(sco_exts[0]); i++)
		if (strcmp(sco_exts[i].ext, ext) == 0 &&
		    strcmp(sco_exts[i].type, type) == 0)
			return &sco_exts[i].table;
	return NULL;
}
