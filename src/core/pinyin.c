/*
 * pinyin.c — pinyin of characters and the search words of a text.
 * Layer: core. The lookup table is built once, on first use, from the
 * generated groups (pinyin_data.c): one 16-bit syllable index per code
 * point of U+3400..U+9FFF (54 KB), so a lookup is one array read.
 */
#include "core/pinyin.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define CP_LO 0x3400u
#define CP_HI 0x9FFFu

static uint16_t table[CP_HI - CP_LO + 1]; /* syllable index + 1; 0 = none */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Decode one UTF-8 sequence at s[0..len); returns its length (>= 1) and
 * the code point in *cp (0xFFFD for a malformed byte). */
static size_t utf8_next(const unsigned char *s, size_t len, unsigned *cp)
{
	unsigned c = s[0];
	size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
	if (n == 0 || n > len) {
		*cp = 0xFFFD;
		return 1;
	}
	unsigned v = n == 1 ? c : c & (0x7Fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	*cp = v;
	return n;
}

static void build(void)
{
	for (int g = 0; g < pinyin_ngroups; g++) {
		const unsigned char *p = (const unsigned char *)pinyin_groups[g].chars;
		size_t len = strlen((const char *)p);
		while (len > 0) {
			unsigned cp;
			size_t k = utf8_next(p, len, &cp);
			if (cp >= CP_LO && cp <= CP_HI && !table[cp - CP_LO])
				table[cp - CP_LO] = (uint16_t)(g + 1);
			p += k;
			len -= k;
		}
	}
}

const char *pinyin_of(unsigned cp)
{
	if (cp < CP_LO || cp > CP_HI)
		return NULL;
	pthread_once(&once, build);
	uint16_t g = table[cp - CP_LO];
	return g ? pinyin_groups[g - 1].syllable : NULL;
}

/* Surnames whose reading differs from the character's usual one. */
static const struct {
	unsigned cp;
	const char *syllable;
} surnames[] = {
	{0x66FE, "zeng"}, /* 曾 */ {0x5355, "shan"}, /* 单 */ {0x533A, "ou"},   /* 区 */
	{0x89E3, "xie"},  /* 解 */ {0x4EC7, "qiu"},  /* 仇 */ {0x6734, "piao"}, /* 朴 */
	{0x67E5, "zha"},  /* 查 */ {0x76D6, "ge"},   /* 盖 */ {0x4E50, "yue"},  /* 乐 */
	{0x7FDF, "zhai"}, /* 翟 */ {0x7F2A, "miao"}, /* 缪 */ {0x53EC, "shao"}, /* 召 */
	{0x79D8, "bi"},   /* 秘 */ {0x79CD, "chong"}, /* 种 */ {0x6C88, "shen"}, /* 沈 */
	{0x67CF, "bai"},  /* 柏 */ {0x8584, "bo"},   /* 薄 */ {0x5458, "yun"},  /* 员 */
	{0x91CD, "chong"}, /* 重 */ {0x957F, "chang"}, /* 长 */ {0x4FDE, "yu"}, /* 俞 */
	{0x5C09, "yu"},   /* 尉 */ {0x89C1, "jian"}, /* 见 */ {0x5F3A, "qiang"}, /* 强 */
};

/* Append word w[0..len) and a separating space if it fits; else stop. */
static bool put_word(char *out, size_t n, size_t *o, const char *w, size_t len, bool *full)
{
	if (*full || len == 0)
		return !*full;
	size_t need = (*o ? 1 : 0) + len;
	if (*o + need + 1 > n) {
		*full = true;
		return false;
	}
	if (*o)
		out[(*o)++] = ' ';
	memcpy(out + *o, w, len);
	*o += len;
	out[*o] = '\0';
	return true;
}

/* The full pinyin and the initials of in[0..len), the first character
 * read as `first` when it is not NULL. False if no character had one. */
static bool words(const char *in, size_t len, const char *first, char *full, size_t fn,
		  size_t *fl, char *ini, size_t in_n, size_t *il)
{
	const unsigned char *p = (const unsigned char *)in;
	bool any = false, at_first = true;
	*fl = *il = 0;
	while (len > 0) {
		unsigned cp;
		size_t k = utf8_next(p, len, &cp);
		const char *syl = NULL;
		char ascii[2] = {0, 0};
		if (cp < 0x80) {
			char c = (char)cp;
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
				ascii[0] = c;
				syl = ascii;
			}
		} else {
			syl = at_first && first ? first : pinyin_of(cp);
			any = any || syl;
		}
		at_first = false;
		if (syl) {
			size_t sl = strlen(syl);
			if (*fl + sl < fn) {
				memcpy(full + *fl, syl, sl);
				*fl += sl;
			}
			if (*il + 1 < in_n)
				ini[(*il)++] = syl[0];
		}
		p += k;
		len -= k;
	}
	full[*fl] = '\0';
	ini[*il] = '\0';
	return any;
}

size_t pinyin_words(const char *in, size_t len, char *out, size_t n)
{
	if (n == 0)
		return 0;
	out[0] = '\0';
	char full[512], ini[128];
	size_t fl, il, o = 0;
	bool stop = false;
	if (!words(in, len, NULL, full, sizeof full, &fl, ini, sizeof ini, &il))
		return 0;
	put_word(out, n, &o, full, fl, &stop);
	put_word(out, n, &o, ini, il, &stop);
	/* A first character that is also a surname read otherwise. */
	unsigned cp;
	if (len > 0 && utf8_next((const unsigned char *)in, len, &cp) > 1)
		for (size_t i = 0; i < sizeof surnames / sizeof surnames[0]; i++)
			if (surnames[i].cp == cp && strcmp(surnames[i].syllable, pinyin_of(cp) ? pinyin_of(cp) : "")) {
				words(in, len, surnames[i].syllable, full, sizeof full, &fl, ini,
				      sizeof ini, &il);
				put_word(out, n, &o, full, fl, &stop);
				put_word(out, n, &o, ini, il, &stop);
				break;
			}
	return o;
}
