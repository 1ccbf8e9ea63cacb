/*
 * limits.h — named limits for every size that comes from outside
 * (layer: core). Check against these before allocating.
 */
#ifndef BANGDAI_CORE_LIMITS_H
#define BANGDAI_CORE_LIMITS_H

#define LIMIT_BODY_BYTES        (1u << 20)  /* JSON request body */
#define LIMIT_UPLOAD_BYTES      (64u << 20) /* import files */
#define LIMIT_HEADER_BYTES      8192        /* all request headers together */
#define LIMIT_URL_BYTES         2048
#define LIMIT_CONN_PER_ADDR     64          /* concurrent connections per client address */
#define LIMIT_CONN_TOTAL        1024
#define LIMIT_IDLE_SECONDS      15          /* connection idle timeout */
#define LIMIT_JSON_DEPTH        16
#define LIMIT_NAME_BYTES        120         /* person / organisation names (UTF-8) */
#define LIMIT_TEXT_BYTES        4000        /* free text: reasons, summaries */
#define LIMIT_CODE_BYTES        32          /* region and vocabulary codes */
#define LIMIT_LOGIN_BYTES       64
#define LIMIT_PASSWORD_BYTES    256
#define LIMIT_PASSWORD_MIN      8
#define LIMIT_TAGS              32          /* domains / weaknesses per person */
#define LIMIT_PAGE_SIZE         500         /* rows in one list page */
#define LIMIT_PAGE_DEFAULT      20
#define LIMIT_REGION_DEPTH      4           /* city, county, township, village */
#define LIMIT_PATH_BYTES        160         /* region path "/c/k/t/v/" */
#define LIMIT_CAPACITY          50          /* mentees a mentor may take at once */

#define SESSION_IDLE_SECONDS    (2 * 3600)
#define SESSION_ABSOLUTE_SECONDS (12 * 3600)

#endif
