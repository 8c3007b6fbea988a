/*
 * Publication dates as government pages write them: "2025-01-15 14:06",
 * "2021/11/02 09:08:31", "2008年06月11日", full-width digits, and the
 * labels in front of them ("发布日期：", "发布时间:", "时间 : ",
 * "发文日期 ").  Everything comes out in one form, "YYYY-MM-DD",
 * "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS", which sorts as text.
 */
#ifndef DATE_H
#define DATE_H

#define DATE_MAX	20	/* "YYYY-MM-DD HH:MM:SS" and the NUL */

/*
 * Parses a date starting exactly at s: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD
 * or YYYY年M月D日 (month and day may have one digit; the 日 may be
 * missing), optionally followed by a time HH:MM[:SS] after spaces, NBSP,
 * U+3000 or 'T'.  The date must be a real calendar day in 1900..2199 and
 * must not continue with another digit.  Returns 0, the normalized date in
 * out and, when end is not NULL, *end just past what was read; -1 if s
 * does not start with a date (out is then "").
 */
int	 date_parse(const char *s, char out[DATE_MAX], const char **end);

/*
 * Finds the publication date a page states in its text: the first date
 * that directly follows "发布日期", "发布时间", "发表时间", "发布于",
 * "公开日期", "发文日期" (in that order of preference), else a bare
 * "时间" or "日期" label that is not part of a longer word such as
 * 成文日期.  Between the label and the date only spaces and ':' / '：' may
 * stand.  Returns 0 and the normalized date in out, or -1.
 */
int	 date_find_labeled(const char *text, char out[DATE_MAX]);

#endif
