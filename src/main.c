/* forecourt: the command line.
 *
 *   forecourt serve   [--db PATH] [--addr A] [--port N] [--threads N] [--demo] ...
 *   forecourt migrate [--db PATH]
 *   forecourt user add --email E --password P --role ROLE [--dealer ID|--brand ID] [--name N] [--db PATH]
 *   forecourt backup  --to FILE [--db PATH]
 *
 * Flags win over FORECOURT_* environment variables, which win over defaults. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "app.h"
#include "auth/auth.h"
#include "auth/routes.h"
#include "notify/sender.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "demo/demo.h"
#include "http/router.h"
#include "http/server.h"
#include "routes.h"
#include "seed/seed.h"

static const char usage_main[] =
    "Forecourt: a dealer management system for car dealer networks.\n"
    "\n"
    "Usage: forecourt COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  serve      run the HTTP server\n"
    "  migrate    apply database migrations and exit\n"
    "  user add   create a staff or admin account\n"
    "  backup     write a consistent copy of the database while it is in use\n"
    "  seed       fill a database with a synthetic network (benchmarks)\n"
    "\n"
    "Run 'forecourt COMMAND --help' for a command's options.\n";

static const char usage_serve[] =
    "Usage: forecourt serve [OPTIONS]\n"
    "\n"
    "Runs the server: applies migrations, then answers HTTP until SIGTERM or SIGINT,\n"
    "letting requests in flight finish before it exits.\n"
    "\n"
    "  --db PATH|URL     SQLite file or postgres://… (FORECOURT_DB, default var/forecourt.db)\n"
    "  --addr ADDR       IP address to listen on     (FORECOURT_ADDR, default 127.0.0.1)\n"
    "  --port N          TCP port, 0 for any free    (FORECOURT_PORT, default 8080)\n"
    "  --threads N       worker threads              (FORECOURT_THREADS, default: one per core)\n"
    "  --log-level L     debug, info, warn or error  (FORECOURT_LOG_LEVEL, default info)\n"
    "  --web DIR         static pages                (FORECOURT_WEB, default ./web)\n"
    "  --max-body BYTES  largest request body        (FORECOURT_MAX_BODY, default 1048576)\n"
    "  --session-ttl S   session lifetime in seconds (FORECOURT_SESSION_TTL, default 43200)\n"
    "  --smtp-url URL    send e-mail through smtp://host:port, smtp+starttls:// or smtps://\n"
    "                    (FORECOURT_SMTP_URL; FORECOURT_SMTP_USER and FORECOURT_SMTP_PASSWORD\n"
    "                    from the environment only). Without it e-mail waits in the outbox.\n"
    "  --mail-from ADDR  the sender address of e-mail (FORECOURT_MAIL_FROM)\n"
    "  --public-url URL  how customers reach this server, for the manage link in e-mail\n"
    "                    (FORECOURT_PUBLIC_URL, default http://ADDR:PORT)\n"
    "  --replica URL     a read replica for reports and dashboards (FORECOURT_REPLICA)\n"
    "  --demo            load the demo network into a new database (FORECOURT_DEMO=1)\n";

static const char usage_migrate[] =
    "Usage: forecourt migrate [--db PATH]\n"
    "\n"
    "Applies the migrations the database has not seen yet, in order, and exits.\n";

static const char usage_user[] =
    "Usage: forecourt user add --email E --password P --role ROLE [--dealer ID | --brand ID]\n"
    "                          [--name NAME] [--locale L] [--db PATH]\n"
    "\n"
    "Creates an account. Roles: admin, brand_manager (needs --brand), dealer_admin,\n"
    "sales, service_advisor, technician (these need --dealer). The password must have\n"
    "at least 10 characters.\n";

static const char usage_backup[] =
    "Usage: forecourt backup --to FILE [--db PATH]\n"
    "\n"
    "Copies the database into FILE as one consistent snapshot. Safe while the server\n"
    "runs: writers are not blocked for the whole copy.\n";

typedef struct opts {
  fc_config cfg;
  const char *email, *password, *role, *dealer, *brand, *name, *locale, *to;
} opts;

static const char *env_or(const char *name, const char *dflt) {
  const char *v = getenv(name);
  return v && *v ? v : dflt;
}

static void defaults(opts *o) {
  memset(o, 0, sizeof *o);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  o->cfg.addr = env_or("FORECOURT_ADDR", "127.0.0.1");
  o->cfg.port = atoi(env_or("FORECOURT_PORT", "8080"));
  o->cfg.db = env_or("FORECOURT_DB", "var/forecourt.db");
  o->cfg.threads = atoi(env_or("FORECOURT_THREADS", "0"));
  if (o->cfg.threads <= 0) o->cfg.threads = cores > 0 ? (int)cores : 2;
  o->cfg.log_level = env_or("FORECOURT_LOG_LEVEL", "info");
  o->cfg.web_dir = env_or("FORECOURT_WEB", "web");
  o->cfg.max_body = (size_t)strtoull(env_or("FORECOURT_MAX_BODY", "1048576"), NULL, 10);
  o->cfg.session_ttl_s = atoi(env_or("FORECOURT_SESSION_TTL", "43200"));
  o->cfg.demo = strcmp(env_or("FORECOURT_DEMO", "0"), "1") == 0;
  o->cfg.smtp_url = env_or("FORECOURT_SMTP_URL", NULL);
  o->cfg.mail_from = env_or("FORECOURT_MAIL_FROM", NULL);
  o->cfg.replica = env_or("FORECOURT_REPLICA", NULL);
  o->cfg.public_url = env_or("FORECOURT_PUBLIC_URL", NULL);
}

static int parse_int(const char *s, int lo, int hi, int *out) {
  char *end = NULL;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < lo || v > hi) return -1;
  *out = (int)v;
  return 0;
}

/* Parses argv[from..]; returns 0, 1 for --help, -1 on a bad flag. */
static int parse(int argc, char **argv, int from, opts *o) {
  for (int i = from; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return 1;
    if (!strcmp(a, "--demo")) {
      o->cfg.demo = 1;
      continue;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "forecourt: %s needs a value (or is unknown)\n", a);
      return -1;
    }
    const char *v = argv[++i];
    int bad = 0;
    if (!strcmp(a, "--db")) o->cfg.db = v;
    else if (!strcmp(a, "--addr")) o->cfg.addr = v;
    else if (!strcmp(a, "--port")) bad = parse_int(v, 0, 65535, &o->cfg.port);
    else if (!strcmp(a, "--threads")) bad = parse_int(v, 1, 256, &o->cfg.threads);
    else if (!strcmp(a, "--log-level")) o->cfg.log_level = v;
    else if (!strcmp(a, "--web")) o->cfg.web_dir = v;
    else if (!strcmp(a, "--max-body")) {
      int mb = 0;
      bad = parse_int(v, 1024, 1 << 30, &mb);
      o->cfg.max_body = (size_t)mb;
    } else if (!strcmp(a, "--session-ttl")) bad = parse_int(v, 60, 90 * 86400, &o->cfg.session_ttl_s);
    else if (!strcmp(a, "--email")) o->email = v;
    else if (!strcmp(a, "--password")) o->password = v;
    else if (!strcmp(a, "--role")) o->role = v;
    else if (!strcmp(a, "--dealer")) o->dealer = v;
    else if (!strcmp(a, "--brand")) o->brand = v;
    else if (!strcmp(a, "--name")) o->name = v;
    else if (!strcmp(a, "--locale")) o->locale = v;
    else if (!strcmp(a, "--to")) o->to = v;
    else if (!strcmp(a, "--smtp-url")) o->cfg.smtp_url = v;
    else if (!strcmp(a, "--mail-from")) o->cfg.mail_from = v;
    else if (!strcmp(a, "--replica")) o->cfg.replica = v;
    else if (!strcmp(a, "--public-url")) o->cfg.public_url = v;
    else {
      fprintf(stderr, "forecourt: unknown option %s\n", a);
      return -1;
    }
    if (bad) {
      fprintf(stderr, "forecourt: bad value for %s: %s\n", a, v);
      return -1;
    }
  }
  if (fc_log_set_level(o->cfg.log_level) != 0) {
    fprintf(stderr, "forecourt: unknown log level %s\n", o->cfg.log_level);
    return -1;
  }
  return 0;
}

/* Opens and migrates the database and loads the auth state. */
static int open_app(fc_app *app, const fc_config *cfg) {
  memset(app, 0, sizeof *app);
  app->cfg = *cfg;
  if (fc_crypto_init() != 0) {
    fprintf(stderr, "forecourt: libsodium failed to initialise\n");
    return -1;
  }
  if (fc_store_open(cfg->db, &app->store) != FC_OK) {
    fprintf(stderr, "forecourt: cannot open database %s\n", cfg->db);
    return -1;
  }
  int applied = 0;
  if (fc_store_migrate(app->store, &applied) != FC_OK) {
    fprintf(stderr, "forecourt: migrations failed on %s\n", cfg->db);
    return -1;
  }
  int verifiers = cfg->threads > 1 ? cfg->threads : 2;
  if (fc_auth_state_new(app->store, verifiers, cfg->session_ttl_s, &app->auth) != FC_OK) {
    fprintf(stderr, "forecourt: cannot load the installation secret\n");
    return -1;
  }
  return 0;
}

static void close_app(fc_app *app) {
  fc_sender_stop(app->sender); /* before the store closes: it finishes the message in flight */
  app->sender = NULL;
  fc_auth_state_free(app->auth);
  fc_store_close(app->replica);
  fc_store_close(app->store);
}

/* The database for humans: a connection URL without its credentials. */
static const char *shown_db(const char *db, char *buf, size_t cap) {
  const char *scheme = strstr(db, "://"), *at = strrchr(db, '@');
  if (!scheme || !at || at < scheme) return db;
  snprintf(buf, cap, "%.*s://***%s", (int)(scheme - db), db, at);
  return buf;
}

static int cmd_serve(opts *o) {
  double t0 = fc_time_mono_s();
  fc_app app;
  fc_router *router = NULL;
  fc_server *srv = NULL;
  int rc = 1;
  if (open_app(&app, &o->cfg)) goto out;
  int loaded = 0;
  if (o->cfg.demo && fc_demo_load(&app, &loaded) != FC_OK) {
    fprintf(stderr, "forecourt: could not load the demo network\n");
    goto out;
  }
  if (o->cfg.replica && fc_store_open(o->cfg.replica, &app.replica) != FC_OK) {
    fprintf(stderr, "forecourt: cannot open the read replica\n");
    goto out;
  }
  if (o->cfg.smtp_url) {
    if (!o->cfg.mail_from) {
      fprintf(stderr, "forecourt: --smtp-url needs --mail-from (FORECOURT_MAIL_FROM)\n");
      goto out;
    }
    fc_smtp_config smtp = {.url = o->cfg.smtp_url, .from = o->cfg.mail_from, .user = getenv("FORECOURT_SMTP_USER"),
                           .password = getenv("FORECOURT_SMTP_PASSWORD"), .timeout_s = 30};
    if (fc_sender_start(app.store, &smtp, &app.sender) != FC_OK) goto out;
  } else {
    fc_logf(FC_LOG_INFO, "no --smtp-url: e-mail waits in the outbox until a sender runs");
  }
  /* Links in e-mail: the configured address, else the one we listen on. */
  static char public_url[300];
  const char *pu = o->cfg.public_url;
  if (pu && (strncmp(pu, "http://", 7) != 0 && strncmp(pu, "https://", 8) != 0)) {
    fprintf(stderr, "forecourt: --public-url must start with http:// or https://\n");
    goto out;
  }
  if (pu) snprintf(public_url, sizeof public_url, "%s", pu);
  else if (o->cfg.port > 0) {
    const char *host = !strcmp(o->cfg.addr, "0.0.0.0") || !strcmp(o->cfg.addr, "::") ? "localhost" : o->cfg.addr;
    int v6 = strchr(host, ':') != NULL;
    snprintf(public_url, sizeof public_url, "http://%s%s%s:%d", v6 ? "[" : "", host, v6 ? "]" : "", o->cfg.port);
  }
  for (size_t n = strlen(public_url); n > 0 && public_url[n - 1] == '/';) public_url[--n] = 0;
  app.cfg.public_url = public_url[0] ? public_url : NULL;

  router = fc_router_new();
  for (int i = 0; router && fc_all_routes[i]; i++)
    if (fc_router_add_table(router, fc_all_routes[i]) != 0) goto out;
  if (!router) goto out;

  /* Block the stop signals before the workers start, so only sigwait sees them. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct stat st;
  fc_server_config sc = {
      .addr = o->cfg.addr,
      .port = o->cfg.port,
      .threads = o->cfg.threads,
      .max_body = o->cfg.max_body,
      .web_dir = stat(o->cfg.web_dir, &st) == 0 && S_ISDIR(st.st_mode) ? o->cfg.web_dir : NULL,
      .app = &app,
      .router = router,
      .authenticate = fc_auth_http_authenticate,
      .csrf_ok = fc_auth_http_csrf_ok,
      .principal_key = fc_auth_http_principal_key,
  };
  if (!sc.web_dir) fc_logf(FC_LOG_WARN, "no web folder at %s: pages are not served", o->cfg.web_dir);
  if (fc_server_start(&sc, &srv) != FC_OK) goto out;
  char dbbuf[512];
  printf("Forecourt is listening on http://%s:%d/ (database %s, %d threads, ready in %.0f ms)\n", o->cfg.addr,
         fc_server_port(srv), shown_db(o->cfg.db, dbbuf, sizeof dbbuf), o->cfg.threads,
         (fc_time_mono_s() - t0) * 1000);
  if (o->cfg.demo) {
    if (loaded) printf("The demo network was loaded into the new database.\n");
    fc_demo_print_logins(stdout);
    printf("Staff application: http://%s:%d/   Public booking page: http://%s:%d/book/garage-amstel\n",
           o->cfg.addr, fc_server_port(srv), o->cfg.addr, fc_server_port(srv));
  }
  fflush(stdout);

  int sig = 0;
  sigwait(&stop, &sig);
  fc_logf(FC_LOG_INFO, "signal %d: finishing requests in flight, then stopping", sig);
  fc_server_stop(srv, 10.0);
  srv = NULL;
  rc = 0;
out:
  fc_server_stop(srv, 0);
  fc_router_free(router);
  close_app(&app);
  if (rc == 0) fc_logf(FC_LOG_INFO, "stopped cleanly");
  return rc;
}

static int cmd_migrate(opts *o) {
  fc_app app;
  int rc = open_app(&app, &o->cfg) ? 1 : 0;
  if (!rc) printf("database %s is up to date\n", o->cfg.db);
  close_app(&app);
  return rc;
}

static int cmd_user_add(opts *o) {
  if (!o->email || !o->password || !o->role) {
    fputs(usage_user, stderr);
    return 2;
  }
  fc_app app;
  int rc = 1;
  fc_ctx c = {.app = &app, .who = fc_auth_system(), .request_id = "cli"};
  json_t *doc = NULL, *out = NULL;
  if (open_app(&app, &o->cfg) || fc_store_db(app.store, &c.db) || !(c.arena = fc_arena_new())) goto done;
  const char *name = o->name;
  if (!name) { /* the part of the e-mail before the @ */
    const char *at = strchr(o->email, '@');
    name = at ? fc_arena_strndup(c.arena, o->email, (size_t)(at - o->email)) : o->email;
  }
  doc = json_pack("{ssssssss}", "email", o->email, "password", o->password, "role", o->role, "name", name);
  if (o->dealer) json_object_set_new(doc, "dealer_id", json_string(o->dealer));
  if (o->brand) json_object_set_new(doc, "brand_id", json_string(o->brand));
  if (o->locale) json_object_set_new(doc, "locale", json_string(o->locale));
  fc_err err = fc_users_create(&c, doc, &out);
  if (err) {
    fprintf(stderr, "forecourt: %s", c.err.message[0] ? c.err.message : fc_err_name(err));
    if (c.err.fields) {
      const char *k;
      json_t *v;
      json_object_foreach(c.err.fields, k, v) fprintf(stderr, "; %s %s", k, json_string_value(v));
    }
    fputc('\n', stderr);
    goto done;
  }
  printf("created %s %s (%s)\n", json_string_value(json_object_get(out, "role")),
         json_string_value(json_object_get(out, "email")), json_string_value(json_object_get(out, "id")));
  rc = 0;
done:
  fc_error_clear(&c.err);
  json_decref(doc);
  json_decref(out);
  fc_arena_free(c.arena);
  close_app(&app);
  return rc;
}

static int cmd_backup(opts *o) {
  if (!o->to) {
    fputs(usage_backup, stderr);
    return 2;
  }
  fc_app app;
  int rc = 1;
  if (!open_app(&app, &o->cfg)) {
    if (fc_store_backup(app.store, o->to) == FC_OK) {
      printf("backed up %s to %s\n", o->cfg.db, o->to);
      rc = 0;
    } else {
      fprintf(stderr, "forecourt: backup to %s failed\n", o->to);
    }
  }
  close_app(&app);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    fputs(usage_main, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  opts o;
  defaults(&o);
  const char *cmd = argv[1];
  const char *usage = NULL;
  int from = 2;
  int (*run)(opts *) = NULL;
  if (!strcmp(cmd, "serve")) run = cmd_serve, usage = usage_serve;
  else if (!strcmp(cmd, "migrate")) run = cmd_migrate, usage = usage_migrate;
  else if (!strcmp(cmd, "backup")) run = cmd_backup, usage = usage_backup;
  else if (!strcmp(cmd, "seed")) return fc_seed_main(argc - 1, argv + 1);
  else if (!strcmp(cmd, "user")) {
    usage = usage_user;
    if (argc >= 3 && !strcmp(argv[2], "add")) run = cmd_user_add, from = 3;
    else if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
      fputs(usage, stdout);
      return 0;
    } else {
      fputs(usage, stderr);
      return 2;
    }
  } else {
    fprintf(stderr, "forecourt: unknown command '%s'\n\n%s", cmd, usage_main);
    return 2;
  }
  int p = parse(argc, argv, from, &o);
  if (p == 1) {
    fputs(usage, stdout);
    return 0;
  }
  if (p < 0) {
    fputs(usage, stderr);
    return 2;
  }
  return run(&o);
}
