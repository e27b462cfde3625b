/* SPDX-License-Identifier: Apache-2.0 */
#include "harness.h"
#include "podgate/buf.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>

static void check_go_quote(const char *input, size_t len, const char *want, int *ok)
{
    struct pg_buf buf = PG_BUF_INIT;
    struct pg_str s = {input, len};
    pg_buf_put_go_quoted(&buf, s);
    *ok = buf.ptr != NULL && strcmp(buf.ptr, want) == 0;
    if (!*ok) {
        printf("#   go-quote got %s want %s\n", buf.ptr ? buf.ptr : "(null)", want);
    }
    pg_buf_release(&buf);
}

static void test_go_quote_plain_ascii_adds_quotes(void)
{
    int ok = 0;
    check_go_quote("unconfined", 10, "\"unconfined\"", &ok);
    PG_EXPECT(ok);
}

static void test_go_quote_escapes_quotes_controls_and_bad_utf8(void)
{
    int ok = 0;
    check_go_quote("a\"b\\c\n\x01\x7f\xff", 9, "\"a\\\"b\\\\c\\n\\x01\\x7f\\xff\"", &ok);
    PG_EXPECT(ok);
    check_go_quote("\xc3\xa9\xc2\x85\xe2\x80\xa8", 7, "\"\xc3\xa9\\u0085\\u2028\"", &ok);
    PG_EXPECT(ok);
}

static void test_buf_respects_max_and_remembers_failure(void)
{
    struct pg_buf buf;
    pg_buf_init(&buf, 8);
    pg_buf_puts(&buf, "12345");
    PG_EXPECT(!pg_buf_failed(&buf));
    pg_buf_puts(&buf, "6789");
    PG_EXPECT(pg_buf_failed(&buf));
    pg_buf_puts(&buf, "x");
    PG_EXPECT_INT(buf.len, 5);
    pg_buf_release(&buf);
}

static void test_buf_reserve_keeps_an_empty_buffer_terminated(void)
{
    struct pg_buf buf = PG_BUF_INIT;
    PG_EXPECT(pg_buf_reserve(&buf, 1000));
    PG_EXPECT(buf.cap > 1000);
    PG_EXPECT_STR(buf.ptr, "");
    PG_BUF_PUT_LIT(&buf, "ab");
    PG_EXPECT_STR(buf.ptr, "ab");
    pg_buf_release(&buf);
}

static void test_buf_reserve_past_max_fails_and_growth_stops_at_max(void)
{
    struct pg_buf buf;
    int i = 0;
    pg_buf_init(&buf, 300);
    PG_EXPECT(!pg_buf_reserve(&buf, 301));
    PG_EXPECT(pg_buf_failed(&buf));
    pg_buf_clear(&buf);
    PG_EXPECT(pg_buf_reserve(&buf, 290));
    /* Doubling would give 512; the allocation stops at the maximum and its NUL. */
    PG_EXPECT_INT(buf.cap, 301);
    for (i = 0; i < 30; i++) {
        pg_buf_put(&buf, "0123456789", 10);
    }
    PG_EXPECT_INT(buf.len, 300);
    PG_EXPECT(!pg_buf_failed(&buf));
    pg_buf_putc(&buf, 'x');
    PG_EXPECT(pg_buf_failed(&buf));
    PG_EXPECT_INT(buf.len, 300);
    pg_buf_release(&buf);
}

static void test_json_string_escapes(void)
{
    struct pg_buf buf = PG_BUF_INIT;
    struct pg_str s = {"a\"\\\n\x01\xff", 6};
    pg_buf_put_json_string(&buf, s);
    PG_EXPECT_STR(buf.ptr, "\"a\\\"\\\\\\n\\u0001\xef\xbf\xbd\"");
    pg_buf_release(&buf);
}

static void test_json_string_escapes_inside_long_plain_runs(void)
{
    struct pg_buf buf = PG_BUF_INIT;
    /* Specials at every offset of an eight-byte word, between long plain runs. */
    struct pg_str s = PG_STR_LIT("container \"envoy\" must not\tset 0123456789\\x"
                                 "abcdefgh\x1f"
                                 "abcdefgh\xc3\xa9ijklmnop\x7f~");
    pg_buf_put_json_string(&buf, s);
    PG_EXPECT_STR(buf.ptr, "\"container \\\"envoy\\\" must not\\tset 0123456789\\\\x"
                           "abcdefgh\\u001f"
                           "abcdefgh\xc3\xa9ijklmnop\x7f~\"");
    pg_buf_release(&buf);
}

static void test_go_json_string_escapes_as_encoding_json_does(void)
{
    struct pg_buf buf = PG_BUF_INIT;
    struct pg_str s = PG_STR_LIT("a\"\\<b>&\b\f\n\r\t\x01\x7f\xff\xc3\xa9\xe2\x80\xa8\xe2\x80\xa9");
    pg_buf_put_go_json_string(&buf, s);
    PG_EXPECT_STR(buf.ptr, "\"a\\\"\\\\\\u003cb\\u003e\\u0026\\b\\f\\n\\r\\t\\u0001\x7f\\ufffd"
                           "\xc3\xa9\\u2028\\u2029\"");
    pg_buf_release(&buf);
}

/* Byte-at-a-time writer of both styles, from their definitions in buf.h. */
static void put_reference_json(struct pg_buf *out, struct pg_str text, bool go)
{
    size_t pos = 0;
    pg_buf_putc(out, '"');
    while (pos < text.len) {
        unsigned char c = (unsigned char)text.ptr[pos];
        char escape[8];
        uint32_t rune = 0;
        size_t width = 1;
        const char *shorts = go ? "\"\\\n\r\t\b\f" : "\"\\\n\r\t";
        const char *hit = c != 0 ? strchr(shorts, c) : NULL;
        if (hit != NULL) {
            pg_buf_putc(out, '\\');
            pg_buf_putc(out, "\"\\nrtbf"[hit - shorts]);
        } else if (c < 0x20 || (go && (c == '<' || c == '>' || c == '&'))) {
            (void)snprintf(escape, sizeof(escape), "\\u%04x", c);
            pg_buf_puts(out, escape);
        } else if (c < 0x80) {
            pg_buf_putc(out, (char)c);
        } else {
            width = pg_utf8_decode(&rune, (const unsigned char *)text.ptr + pos, text.len - pos);
            if (width == 0) {
                pg_buf_puts(out, go ? "\\ufffd" : "\xEF\xBF\xBD");
                width = 1;
            } else if (go && (rune == 0x2028 || rune == 0x2029)) {
                (void)snprintf(escape, sizeof(escape), "\\u%04x", (unsigned)rune);
                pg_buf_puts(out, escape);
            } else {
                pg_buf_put(out, text.ptr + pos, width);
            }
        }
        pos += width;
    }
    pg_buf_putc(out, '"');
}

/*
 * Every special byte and character at every offset of a plain run, in texts
 * of every length up to 40 bytes: the word-at-a-time writer agrees with the
 * byte-at-a-time one in both styles.
 */
static void test_json_strings_match_a_byte_at_a_time_writer(void)
{
    static const char *const SPECIALS[] = {
        "\"",
        "\\",
        "<",
        ">",
        "&",
        "\b",
        "\f",
        "\n",
        "\x01",
        "\x1f",
        "\x7f",
        "\xff",
        "\xc3\xa9",
        "\xe2\x80\xa8",
        "\xe2\x80\xa9",
        "\xf0\x9f\x98\x80",
        "\xe2\x80",
        "'",
        "%",
    };
    static const char PLAIN[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
    size_t mismatches = 0;
    size_t cases = 0;
    for (size_t k = 0; k < sizeof(SPECIALS) / sizeof(SPECIALS[0]); k++) {
        for (size_t len = 0; len <= 40; len++) {
            for (size_t at = 0; at <= len; at++) {
                char text[64];
                size_t special_len = strlen(SPECIALS[k]);
                struct pg_str s = {text, len + special_len};
                memcpy(text, PLAIN, at);
                memcpy(text + at, SPECIALS[k], special_len);
                memcpy(text + at + special_len, PLAIN + at, len - at);
                for (int go = 0; go <= 1; go++) {
                    struct pg_buf got = PG_BUF_INIT;
                    struct pg_buf want = PG_BUF_INIT;
                    if (go) {
                        pg_buf_put_go_json_string(&got, s);
                    } else {
                        pg_buf_put_json_string(&got, s);
                    }
                    put_reference_json(&want, s, go);
                    cases++;
                    if (got.len != want.len || memcmp(got.ptr, want.ptr, got.len) != 0) {
                        mismatches++;
                        printf("#   %s: got %s want %s\n", go ? "go" : "plain", got.ptr, want.ptr);
                    }
                    pg_buf_release(&got);
                    pg_buf_release(&want);
                }
            }
        }
    }
    PG_EXPECT(cases > 30000);
    PG_EXPECT_INT(mismatches, 0);
}

/* A bounded buffer takes an escaped string that just fits, and fails on one that does not. */
static void test_json_string_fails_only_when_the_escaped_text_passes_max(void)
{
    struct pg_str s = PG_STR_LIT("0123456789 \"quoted\" <tag> 0123456789 0123456789 \x01");
    struct pg_buf unbounded = PG_BUF_INIT;
    struct pg_buf buf;
    pg_buf_put_go_json_string(&unbounded, s);
    PG_EXPECT_INT(unbounded.len, 68);
    pg_buf_init(&buf, 68);
    pg_buf_put_go_json_string(&buf, s);
    PG_EXPECT(!pg_buf_failed(&buf));
    PG_EXPECT_STR(buf.ptr, unbounded.ptr);
    pg_buf_release(&buf);
    pg_buf_init(&buf, 67);
    pg_buf_put_go_json_string(&buf, s);
    PG_EXPECT(pg_buf_failed(&buf));
    PG_EXPECT(buf.len <= 67 && buf.ptr[buf.len] == '\0');
    pg_buf_release(&buf);
    pg_buf_release(&unbounded);
}

static void test_int_writes_decimal_of_any_sign(void)
{
    struct pg_buf buf = PG_BUF_INIT;
    pg_buf_put_int(&buf, 0);
    PG_BUF_PUT_LIT(&buf, " ");
    pg_buf_put_int(&buf, 8080);
    PG_BUF_PUT_LIT(&buf, " ");
    pg_buf_put_int(&buf, -42);
    PG_BUF_PUT_LIT(&buf, " ");
    pg_buf_put_int(&buf, INT64_MIN);
    PG_BUF_PUT_LIT(&buf, " ");
    pg_buf_put_int(&buf, INT64_MAX);
    PG_EXPECT_STR(buf.ptr, "0 8080 -42 -9223372036854775808 9223372036854775807");
    pg_buf_release(&buf);
}

static void test_xml_escape_keeps_whitespace_and_drops_non_xml_characters(void)
{
    struct pg_buf buf = PG_BUF_INIT;
    struct pg_str s = {"<a href=\"x\">'&\t\n\r\x01\xff\xef\xbf\xbe\xc3\xa9", 24};
    pg_buf_put_xml_escaped(&buf, s);
    PG_EXPECT_STR(buf.ptr, "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&#9;&#10;&#13;\xef\xbf\xbd"
                           "\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9");
    pg_buf_release(&buf);
}

PG_TEST_MAIN(
    PG_TEST_ENTRY(test_go_quote_plain_ascii_adds_quotes)
        PG_TEST_ENTRY(test_go_quote_escapes_quotes_controls_and_bad_utf8) PG_TEST_ENTRY(
            test_buf_respects_max_and_remembers_failure)
            PG_TEST_ENTRY(test_buf_reserve_keeps_an_empty_buffer_terminated) PG_TEST_ENTRY(
                test_buf_reserve_past_max_fails_and_growth_stops_at_max)
                PG_TEST_ENTRY(test_json_string_escapes) PG_TEST_ENTRY(
                    test_json_string_escapes_inside_long_plain_runs)
                    PG_TEST_ENTRY(test_go_json_string_escapes_as_encoding_json_does) PG_TEST_ENTRY(
                        test_json_strings_match_a_byte_at_a_time_writer)
                        PG_TEST_ENTRY(test_json_string_fails_only_when_the_escaped_text_passes_max)
                            PG_TEST_ENTRY(test_int_writes_decimal_of_any_sign) PG_TEST_ENTRY(
                                test_xml_escape_keeps_whitespace_and_drops_non_xml_characters))
