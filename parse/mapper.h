/*
 * Private interface between the mapper's files: mapper.c (sections, title,
 * orchestration), tables.c (tables 二, 三, 四 onto cells) and meta.c (year,
 * agency, region, level).
 */
#ifndef MAPPER_H
#define MAPPER_H

#include "doc.h"
#include "record.h"

enum table_class { TCLASS_NONE, TCLASS_T2, TCLASS_T3, TCLASS_T4 };

/* A table row with colspan copies collapsed: the cells a reader sees. */
struct lrow {
	const char	**text;		/* borrowed from the document */
	size_t		  n;
};

enum table_class tables_classify(const struct doc_table *);
void		 tables_lrow(const struct doc_row *, struct lrow *);
/*
 * Maps the rows of all tables of one class onto the record.  Returns the
 * number of data rows recognised (0: the table is not readable).
 */
int		 tables_map_t2(struct record *, const struct doc_table **, size_t);
int		 tables_map_t3(struct record *, const struct doc_table **, size_t);
int		 tables_map_t4(struct record *, const struct doc_table **, size_t);

int		 meta_year_from_title(const char *title);
int		 meta_year_from_period(const char *text);
int		 meta_year_most_common(const char *text);
char		*meta_agency_from_title(const char *title);
char		*meta_agency_from_text(const char *text);
char		*meta_region(const char *agency);
const char	*meta_level(const char *agency);

#endif
