/*
 * Fills a store for the query benchmark (tests/bench/query.sh): N reports
 * of S sources, V versions each, every version a real record (a seed read
 * and checked by the real pipeline) with a few cells changed so that each
 * version differs, through the store's own API, in one transaction.
 *
 * usage: fill_store DB SEED_FILE REPORTS VERSIONS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "export.h"
#include "parse.h"
#include "store.h"
#include "util.h"
#include "xmalloc.h"

static long long
arg(const char *s, long long max)
{
	const char *errstr;
	long long v;

	if (util_strtonum(s, 1, max, &v, &errstr) != 0) {
		fprintf(stderr, "fill_store: %s: %s\n", s, errstr);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct store *st;
	struct doc *doc = NULL;
	struct record *rec = NULL;
	struct store_report r;
	json_t *base, *j, *cell;
	char *buf, *cause = NULL, *text, digest[65], agency[64], src[32];
	char url[128];
	size_t len;
	long long n, v, i, k;
	int number;

	if (argc != 5) {
		fprintf(stderr, "usage: fill_store DB SEED REPORTS VERSIONS\n");
		return 2;
	}
	n = arg(argv[3], 10000000);
	v = arg(argv[4], 1000);
	if (util_read_file(argv[2], PARSE_MAX_INPUT, &buf, &len, &cause) != 0 ||
	    reader_read(buf, len, argv[2], NULL, &doc, &cause) != 0 ||
	    mapper_map(doc, &rec, &cause) != 0) {
		fprintf(stderr, "fill_store: %s\n", cause);
		return 2;
	}
	rules_run(rec);
	base = export_json(rec, 1);
	st = store_open(argv[1], STORE_CREATE, &cause);
	if (st == NULL || store_begin(st, &cause) != 0) {
		fprintf(stderr, "fill_store: %s\n", cause);
		return 2;
	}
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof r);
		snprintf(src, sizeof src, "src-%lld", i / 5);
		snprintf(agency, sizeof agency, "某某县第%lld局", i);
		snprintf(url, sizeof url, "http://www.example%lld.gov.cn/art/"
		    "2025/1/21/art_%lld.html", i / 5, i);
		r.source_id = src;
		r.agency = agency;
		r.year = 2020 + (int)(i % 5);
		r.url = url;
		r.title = agency;
		r.first_seen = 1700000000000LL + i;
		r.last_seen = r.first_seen;
		if (store_report_put(st, &r, &cause) != 0)
			goto fail;
		for (k = 0; k < v; k++) {
			j = json_deep_copy(base);
			/* one cell differs per version, another per report */
			cell = json_object_get(json_object_get(json_object_get(j,
			    "t3"), "new"), "natural");
			json_object_set_new(cell, "value", json_integer(k));
			json_object_set_new(cell, "raw", json_string("v"));
			cell = json_object_get(json_object_get(json_object_get(j,
			    "t3"), "granted"), "natural");
			json_object_set_new(cell, "value", json_integer(i));
			text = json_dumps(j, JSON_COMPACT);
			store_sha256_hex(text, strlen(text), digest);
			if (store_version_add(st, r.id, 0, digest, text,
			    r.first_seen + k, &number, &cause) != 0)
				goto fail;
			free(text);
			json_decref(j);
		}
		if (i % 1000 == 999) {
			if (store_commit(st, &cause) != 0 ||
			    store_begin(st, &cause) != 0)
				goto fail;
		}
	}
	if (store_commit(st, &cause) != 0)
		goto fail;
	store_close(st);
	json_decref(base);
	record_free(rec);
	doc_free(doc);
	free(buf);
	return 0;
fail:
	fprintf(stderr, "fill_store: %s\n", cause);
	return 2;
}
