/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The YAML document splitter: one pass over lines, looking only at how each
 * line starts. Document markers are recognised where libyaml recognises them
 * (column 0, after any of its line breaks), so the chunks it produces parse
 * as exactly one document each.
 */
#include "doc/yaml_split.h"

#include "doc/swar.h"
#include "util/sse2.h"

#include <string.h>

enum line_class {
    LINE_BLANK, /* empty, spaces and tabs, or a comment */
    LINE_DIRECTIVE,
    LINE_DOC_START,
    LINE_DOC_END,
    LINE_CONTENT,
};

/* Width of the line break at data[i], 0 when there is none (YAML 1.1 breaks, as libyaml). */
static size_t break_width(const unsigned char *data, size_t len, size_t i)
{
    unsigned char c = data[i];
    if (c == '\n') {
        return 1;
    }
    if (c == '\r') {
        return i + 1 < len && data[i + 1] == '\n' ? 2 : 1;
    }
    if (c == 0xC2 && i + 1 < len && data[i + 1] == 0x85) {
        return 2; /* NEL */
    }
    if (c == 0xE2 && i + 2 < len && data[i + 1] == 0x80 &&
        (data[i + 2] == 0xA8 || data[i + 2] == 0xA9)) {
        return 3; /* LS, PS */
    }
    return 0;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Bits set in the high bit of each byte of `word` that is below 0x0E or at least 0x80. */
static uint64_t special_bytes(uint64_t word)
{
    /* The classic "has less than n" test (n = 0x0E covers \t \n \r), plus non-ASCII bytes. */
    return ((word - ONES * 0x0E) & ~word & HIGHS) | (word & HIGHS);
}

/*
 * End of the line starting at `pos` (its break excluded); *next gets the next
 * line's start and *high is set when the line has a non-ASCII byte. Eight bytes
 * at a time: most YAML is ASCII text where no byte can start a break.
 */
static size_t find_line_end(const unsigned char *data, size_t len, size_t pos, size_t *next,
                            bool *high)
{
    size_t i = pos;
    while (i < len) {
        uint64_t word = 0;
        size_t stop = 0;
        if (len - i >= 8) {
            memcpy(&word, data + i, 8);
            if (special_bytes(word) == 0) {
                i += 8;
                continue;
            }
        }
        stop = len - i >= 8 ? i + 8 : len;
        for (; i < stop; i++) {
            size_t width = 0;
            if (data[i] >= 0x80) {
                *high = true;
            }
            width = break_width(data, len, i);
            if (width != 0) {
                *next = i + width;
                return i;
            }
        }
    }
    *next = len;
    return len;
}

/* Like find_line_end when the only breaks are LF and CRLF: memchr does the work. */
static size_t find_line_end_simple(const unsigned char *data, size_t len, size_t pos, size_t *next)
{
    const unsigned char *newline = memchr(data + pos, '\n', len - pos);
    size_t end = newline != NULL ? (size_t)(newline - data) : len;
    *next = newline != NULL ? end + 1 : len;
    if (end > pos && data[end - 1] == '\r') {
        end--;
    }
    return end;
}

bool pg_yaml_split_ascii(const char *text, size_t len)
{
    const unsigned char *data = (const unsigned char *)text;
    uint64_t any = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t word = 0;
        memcpy(&word, data + i, 8);
        any |= word;
    }
    for (; i < len; i++) {
        any |= data[i];
    }
    return (any & HIGHS) == 0;
}

static bool is_marker(const unsigned char *line, size_t len, const char *marker);

/* A line starting at `at` that is `---` or `...` followed by a blank, a break or the end. */
static bool marker_at(const unsigned char *data, size_t len, size_t at)
{
    if (len - at < 3 || (data[at] != '-' && data[at] != '.')) {
        return false;
    }
    if (memcmp(data + at, "---", 3) != 0 && memcmp(data + at, "...", 3) != 0) {
        return false;
    }
    return at + 3 == len || data[at + 3] == ' ' || data[at + 3] == '\t' || data[at + 3] == '\r' ||
           data[at + 3] == '\n';
}

#if defined(__SSE2__)
/* Set bits of `mask` (rare: once per marker found, so no popcount instruction is needed). */
static uint32_t count_bits(uint64_t mask)
{
    uint32_t count = 0;
    for (; mask != 0; mask &= mask - 1u) {
        count++;
    }
    return count;
}

/* The newline and '-'/'.' bits of the 16 bytes at `bytes`; newlines are also counted. */
static inline void scan_block(uint64_t *breaks, uint64_t *firsts, __m128i *counts,
                              const unsigned char *bytes, unsigned shift)
{
    __m128i block = _mm_loadu_si128((const __m128i *)(const void *)bytes);
    __m128i ends = _mm_cmpeq_epi8(block, _mm_set1_epi8('\n'));
    __m128i marks = _mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('-')),
                                 _mm_cmpeq_epi8(block, _mm_set1_epi8('.')));
    *counts = _mm_sub_epi8(*counts, ends); /* a match is -1 */
    *breaks |= (uint64_t)(unsigned)_mm_movemask_epi8(ends) << shift;
    *firsts |= (uint64_t)(unsigned)_mm_movemask_epi8(marks) << shift;
}

/*
 * skip_to_marker's main loop, 64 bytes at a time: the bytes after a newline
 * that are '-' or '.' are the only places a marker can start, and the
 * newlines passed are counted in byte counters (at most 4 a round, summed
 * every 63 rounds). Lines are a few dozen bytes, and one memchr call per line
 * cost more than this loop. Returns the first marker found (with *line at its
 * line), or the offset of the bytes left over, with *line_start telling
 * whether that offset starts a line.
 */
static size_t skip_blocks(const unsigned char *data, size_t len, size_t pos, uint32_t *line,
                          bool *line_start)
{
    __m128i counts = _mm_setzero_si128();
    unsigned rounds = 0;
    uint64_t carry = 0; /* 1 when the byte before the block is a newline */
    size_t at = pos;
    while (len - at >= 64) {
        uint64_t breaks = 0;
        uint64_t firsts = 0;
        uint64_t starts = 0;
        scan_block(&breaks, &firsts, &counts, data + at, 0);
        scan_block(&breaks, &firsts, &counts, data + at + 16, 16);
        scan_block(&breaks, &firsts, &counts, data + at + 32, 32);
        scan_block(&breaks, &firsts, &counts, data + at + 48, 48);
        starts = ((breaks << 1) | carry) & firsts;
        while (starts != 0) {
            unsigned bit = (unsigned)__builtin_ctzll(starts);
            if (marker_at(data, len, at + bit)) {
                /* The counters hold this round too: take off the newlines after the marker. */
                *line += (uint32_t)pg_sse2_sum_bytes(counts) - count_bits(breaks >> bit);
                *line_start = true;
                return at + bit;
            }
            starts &= starts - 1u;
        }
        if (++rounds == 63) {
            *line += (uint32_t)pg_sse2_sum_bytes(counts);
            counts = _mm_setzero_si128();
            rounds = 0;
        }
        carry = breaks >> 63;
        at += 64;
    }
    *line += (uint32_t)pg_sse2_sum_bytes(counts);
    *line_start = carry != 0 || at == pos;
    return at;
}
#endif

/*
 * Inside a document, with only LF/CRLF breaks: the start of the next line at
 * or after `pos` (a line start) that is a document marker, or `len`; *line
 * advances by the lines skipped. Only a line starting with '-' or '.' can be
 * one, so most lines are passed over without looking at them one by one.
 */
static size_t skip_to_marker(const unsigned char *data, size_t len, size_t pos, uint32_t *line)
{
    size_t at = pos;
    if (marker_at(data, len, pos)) {
        return pos;
    }
#if defined(__SSE2__)
    bool line_start = false;
    at = skip_blocks(data, len, pos, line, &line_start);
    if (at < len && line_start && marker_at(data, len, at)) {
        return at; /* a marker right after the last block */
    }
#endif
    /* The tail (or every byte without SSE2), one newline at a time. */
    while (at < len) {
        const unsigned char *newline = memchr(data + at, '\n', len - at);
        if (newline == NULL) {
            break;
        }
        at = (size_t)(newline - data) + 1;
        (*line)++;
        /* The first byte in line: most lines start with neither '-' nor '.'. */
        if (len - at >= 3 && (data[at] == '-' || data[at] == '.') && marker_at(data, len, at)) {
            return at;
        }
    }
    return len;
}

/* Only printable ASCII, tabs and line breaks: nothing libyaml's reader could reject. */
static bool plain_text(const unsigned char *data, size_t len)
{
    size_t i = 0;
    for (i = 0; i < len; i++) {
        unsigned char c = data[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c >= 0x7F) {
            return false;
        }
    }
    return true;
}

bool pg_yaml_split_simple_breaks(const char *data, size_t len)
{
    const char *p = data;
    const char *end = data + len;
    while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
        if (p + 1 == end || p[1] != '\n') {
            return false;
        }
        p++;
    }
    for (p = data; (p = memchr(p, 0xC2, (size_t)(end - p))) != NULL; p++) {
        if (p + 1 < end && (unsigned char)p[1] == 0x85) {
            return false;
        }
    }
    for (p = data; (p = memchr(p, 0xE2, (size_t)(end - p))) != NULL; p++) {
        if (p + 2 < end && (unsigned char)p[1] == 0x80 &&
            ((unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9)) {
            return false;
        }
    }
    return true;
}

static bool is_marker(const unsigned char *line, size_t len, const char *marker)
{
    return len >= 3 && memcmp(line, marker, 3) == 0 &&
           (len == 3 || line[3] == ' ' || line[3] == '\t');
}

static enum line_class classify(const unsigned char *line, size_t len)
{
    size_t i = 0;
    if (is_marker(line, len, "---")) {
        return LINE_DOC_START;
    }
    if (is_marker(line, len, "...")) {
        return LINE_DOC_END;
    }
    if (len > 0 && line[0] == '%') {
        return LINE_DIRECTIVE;
    }
    while (i < len && (line[i] == ' ' || line[i] == '\t')) {
        i++;
    }
    return i == len || line[i] == '#' ? LINE_BLANK : LINE_CONTENT;
}

bool pg_yaml_split_next(struct pg_yaml_chunk *out, const char *data, size_t len, size_t pos,
                        uint32_t line, bool simple_breaks)
{
    const unsigned char *bytes = (const unsigned char *)data;
    bool seen_start = false;
    bool seen_content = false;
    bool seen_directive = false;
    bool high = false;
    out->start = pos;
    out->line = line;
    out->marker_line = 0;
    while (pos < len) {
        size_t next = 0;
        size_t end = 0;
        enum line_class kind = LINE_BLANK;
        if (simple_breaks && (seen_start || seen_content)) {
            pos = skip_to_marker(bytes, len, pos, &line);
            if (pos == len) {
                break;
            }
        }
        end = simple_breaks ? find_line_end_simple(bytes, len, pos, &next)
                            : find_line_end(bytes, len, pos, &next, &high);
        kind = classify(bytes + pos, end - pos);
        if (kind == LINE_DOC_START) {
            if (seen_start || seen_content) {
                break;
            }
            seen_start = true;
            out->marker_line = line;
        } else if (kind == LINE_DOC_END && (seen_start || seen_content)) {
            pos = next;
            line++;
            break;
        } else if (kind == LINE_CONTENT) {
            seen_content = true;
        } else if (kind == LINE_DIRECTIVE) {
            seen_directive = true;
        }
        pos = next;
        line++;
    }
    out->end = pos;
    out->next_line = line;
    out->ascii = !simple_breaks && !high;
    /* Text after the last document is checked too: a directive with no document, or a
     * comment with invalid UTF-8 or control characters, is an error there as anywhere. */
    out->trailing = !seen_start && !seen_content && pos > out->start &&
                    (seen_directive || !plain_text(bytes + out->start, pos - out->start));
    return seen_start || seen_content || out->trailing;
}

void pg_yaml_split_position(uint32_t *line, uint32_t *column, const char *text, size_t offset,
                            uint32_t first_line)
{
    const unsigned char *bytes = (const unsigned char *)text;
    size_t i = 0;
    *line = first_line;
    *column = 1;
    while (i < offset) {
        size_t width = break_width(bytes, offset, i);
        if (width != 0) {
            (*line)++;
            *column = 1;
            i += width;
            continue;
        }
        if ((bytes[i] & 0xC0) != 0x80) {
            (*column)++;
        }
        i++;
    }
}
