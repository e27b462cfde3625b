/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Worker threads for `podgate scan -j N` (see scan_jobs.h). One lock guards
 * the slots and counters; the workers hold it only to take an input and to
 * hand their work over, never while reading a file.
 */
#include "scan_jobs.h"

#include "util/xalloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * How far the workers may run ahead of the main thread: records and learners
 * wait in slots until their turn, so this bounds memory, while a few files
 * of slack per thread keep the threads busy when one file takes longer.
 */
#define FILES_PER_THREAD 4

/*
 * Larger files are left to the main thread, which streams them in parts: a
 * record holds all of a file's results at once, fewer bytes than the file
 * for dense workloads (gen-corpus.py files: 0.5-0.6) and far fewer for
 * real manifests, so the records in flight stay near FILES_PER_THREAD *
 * threads * 4 MiB at worst.
 */
#define RECORD_FILE_MAX ((off_t)4 * 1024 * 1024)

enum slot_state {
    SLOT_FREE,
    SLOT_SCANNING,
    SLOT_DONE, /* the learner or record holds the input's outcome */
    SLOT_LEFT, /* for the main thread to do */
};

struct slot {
    size_t input;
    enum slot_state state;
    struct pg_scanner *learner;    /* learning pass */
    struct pg_scan_record *record; /* scan pass */
};

struct worker {
    pthread_t thread;
    struct pg_scanner *scanner; /* scan pass: a fork of the parent */
    struct pg_scan_jobs *jobs;
};

struct pg_scan_jobs {
    struct pg_scan_jobs_options options;
    pthread_mutex_t lock;
    pthread_cond_t slot_freed; /* or stopping: workers wait on it */
    pthread_cond_t slot_ready; /* the main thread waits on it */
    struct slot *slots;        /* input i is in slot i % window */
    size_t window;
    size_t next_claim; /* the next input a worker takes */
    size_t released;   /* inputs below it are done with */
    size_t awaited;    /* the input the main thread waits for, or SIZE_MAX */
    bool stop;
    struct worker *workers;
    size_t started;
};

void pg_scan_jobs_scan_source(struct pg_scanner *scanner, const char *path, struct pg_parts *parts,
                              const struct pg_scan_sink *sink, bool (*after_part)(void *ctx),
                              void *ctx)
{
    char error[512];
    const char *data = NULL;
    size_t len = 0;
    int rc = 0;
    pg_scanner_count_source(scanner);
    while ((rc = pg_parts_next(parts, &data, &len, error, sizeof(error))) != 0) {
        if (rc < 0) {
            pg_scanner_report_error_at(scanner, path, parts->index, parts->line, error, sink);
            continue;
        }
        pg_parts_done(
            parts, pg_scanner_scan_part(scanner, path, data, len, parts->line, parts->index, sink));
        if (after_part != NULL && !after_part(ctx)) {
            break;
        }
    }
}

void pg_scan_jobs_learn_source(struct pg_scanner *scanner, struct pg_parts *parts)
{
    char error[512];
    const char *data = NULL;
    size_t len = 0;
    int rc = 0;
    /* Read errors are the scan pass's to report. */
    while ((rc = pg_parts_next(parts, &data, &len, error, sizeof(error))) != 0) {
        if (rc > 0) {
            pg_scanner_learn_namespaces(scanner, data, len);
            pg_parts_done(parts, parts->index);
        }
    }
}

/* Whether a worker does this input, or leaves it to the main thread. */
static bool worker_takes(const struct pg_input *input, enum pg_scan_jobs_pass pass)
{
    struct stat st;
    if (input->error != NULL || strcmp(input->path, "-") == 0) {
        return false;
    }
    /* A learner stays small whatever the file. A file that cannot be stat'ed now is reported
       when it cannot be opened either. */
    return pass == PG_SCAN_JOBS_LEARN || stat(input->path, &st) != 0 ||
           st.st_size <= RECORD_FILE_MAX;
}

static enum slot_state learn_file(const struct pg_scan_jobs_options *options,
                                  const struct pg_input *input, struct slot *slot)
{
    struct pg_parts parts;
    char error[512];
    /* A fresh learner per file: what it knows is that file's labels alone. */
    pg_scanner_free(slot->learner);
    slot->learner = NULL;
    if (pg_scanner_new(&slot->learner, options->scan, NULL) != 0) {
        return SLOT_LEFT;
    }
    if (pg_parts_open_file(&parts, input->path, options->scan->format, &options->scan->limits,
                           error, sizeof(error)) == 0) {
        pg_scan_jobs_learn_source(slot->learner, &parts);
        pg_parts_close(&parts);
    }
    return SLOT_DONE;
}

static enum slot_state scan_file(struct worker *worker, const struct pg_input *input,
                                 struct pg_scan_record *record)
{
    const struct pg_scan_options *options = worker->jobs->options.scan;
    struct pg_scan_sink sink = pg_scan_record_sink(record);
    struct pg_parts parts;
    char error[512];
    if (pg_parts_open_file(&parts, input->path, options->format, &options->limits, error,
                           sizeof(error)) != 0) {
        pg_scanner_report_error(worker->scanner, input->path, error, &sink);
        return SLOT_DONE;
    }
    pg_scan_jobs_scan_source(worker->scanner, input->path, &parts, &sink, NULL, NULL);
    pg_parts_close(&parts);
    return SLOT_DONE;
}

static enum slot_state work_on(struct worker *worker, size_t index, struct slot *slot)
{
    const struct pg_scan_jobs_options *options = &worker->jobs->options;
    const struct pg_input *input = &options->inputs->items[index];
    /* Cleared here, not by the main thread: the memory goes back to the thread that took it. */
    pg_scan_record_clear(slot->record);
    if (!worker_takes(input, options->pass)) {
        return SLOT_LEFT;
    }
    switch (options->pass) {
    case PG_SCAN_JOBS_LEARN:
        return learn_file(options, input, slot);
    case PG_SCAN_JOBS_SCAN:
        return scan_file(worker, input, slot->record);
    }
    return SLOT_LEFT;
}

/* With the lock held: wait for an input to take; false when there is none left or on stop. */
static bool claim(struct pg_scan_jobs *jobs, size_t *index_out)
{
    size_t len = jobs->options.inputs->len;
    struct slot *slot = NULL;
    while (!jobs->stop && jobs->next_claim < len &&
           jobs->next_claim >= jobs->released + jobs->window) {
        (void)pthread_cond_wait(&jobs->slot_freed, &jobs->lock);
    }
    if (jobs->stop || jobs->next_claim >= len) {
        return false;
    }
    *index_out = jobs->next_claim++;
    slot = &jobs->slots[*index_out % jobs->window];
    slot->input = *index_out;
    slot->state = SLOT_SCANNING;
    return true;
}

static void *worker_main(void *arg)
{
    struct worker *worker = arg;
    struct pg_scan_jobs *jobs = worker->jobs;
    size_t index = 0;
    (void)pthread_mutex_lock(&jobs->lock);
    while (claim(jobs, &index)) {
        struct slot *slot = &jobs->slots[index % jobs->window];
        enum slot_state state = SLOT_FREE;
        (void)pthread_mutex_unlock(&jobs->lock);
        state = work_on(worker, index, slot);
        (void)pthread_mutex_lock(&jobs->lock);
        slot->state = state;
        /* Waking the main thread for any other input would only put it back to sleep. */
        if (index == jobs->awaited) {
            (void)pthread_cond_signal(&jobs->slot_ready);
        }
    }
    (void)pthread_mutex_unlock(&jobs->lock);
    return NULL;
}

static struct pg_scan_jobs *jobs_alloc(const struct pg_scan_jobs_options *options)
{
    struct pg_scan_jobs *jobs = pg_xcalloc(1, sizeof(*jobs));
    jobs->options = *options;
    jobs->window = options->threads * FILES_PER_THREAD;
    jobs->slots = pg_xcalloc(jobs->window, sizeof(*jobs->slots));
    for (size_t i = 0; i < jobs->window; i++) {
        jobs->slots[i].input = SIZE_MAX;
        jobs->slots[i].state = SLOT_FREE;
        (void)pg_scan_record_new(&jobs->slots[i].record, NULL);
    }
    jobs->workers = pg_xcalloc(options->threads, sizeof(*jobs->workers));
    jobs->awaited = SIZE_MAX;
    return jobs;
}

static void jobs_free(struct pg_scan_jobs *jobs)
{
    for (size_t i = 0; i < jobs->window; i++) {
        pg_scanner_free(jobs->slots[i].learner);
        pg_scan_record_free(jobs->slots[i].record);
    }
    free(jobs->slots);
    free(jobs->workers);
    free(jobs);
}

int pg_scan_jobs_start(struct pg_scan_jobs **out, const struct pg_scan_jobs_options *options)
{
    struct pg_scan_jobs *jobs = NULL;
    if (options->threads == 0) {
        return -1;
    }
    jobs = jobs_alloc(options);
    if (pthread_mutex_init(&jobs->lock, NULL) != 0) {
        jobs_free(jobs);
        return -1;
    }
    if (pthread_cond_init(&jobs->slot_freed, NULL) != 0 ||
        pthread_cond_init(&jobs->slot_ready, NULL) != 0) {
        (void)pthread_mutex_destroy(&jobs->lock);
        jobs_free(jobs); /* a condition that failed to initialise needs no destroy */
        return -1;
    }
    for (size_t i = 0; i < options->threads; i++) {
        struct worker *worker = &jobs->workers[jobs->started];
        worker->jobs = jobs;
        if (options->pass == PG_SCAN_JOBS_SCAN &&
            pg_scanner_fork(&worker->scanner, options->parent, NULL) != 0) {
            break;
        }
        if (pthread_create(&worker->thread, NULL, worker_main, worker) != 0) {
            pg_scanner_free(worker->scanner);
            worker->scanner = NULL;
            break; /* fewer threads, same output */
        }
        jobs->started++;
    }
    if (jobs->started == 0) {
        pg_scan_jobs_finish(jobs, NULL);
        return -1;
    }
    *out = jobs;
    return 0;
}

bool pg_scan_jobs_take(struct pg_scan_jobs *jobs, size_t index)
{
    const struct slot *slot = &jobs->slots[index % jobs->window];
    enum slot_state state = SLOT_FREE;
    (void)pthread_mutex_lock(&jobs->lock);
    jobs->awaited = index;
    while (slot->input != index || (slot->state != SLOT_DONE && slot->state != SLOT_LEFT)) {
        (void)pthread_cond_wait(&jobs->slot_ready, &jobs->lock);
    }
    jobs->awaited = SIZE_MAX;
    state = slot->state;
    (void)pthread_mutex_unlock(&jobs->lock);
    return state == SLOT_DONE;
}

/* Only after pg_scan_jobs_take said true: the lock then ordered the worker's writes first. */
const struct pg_scanner *pg_scan_jobs_learner(const struct pg_scan_jobs *jobs, size_t index)
{
    return jobs->slots[index % jobs->window].learner;
}

const struct pg_scan_record *pg_scan_jobs_record(const struct pg_scan_jobs *jobs, size_t index)
{
    return jobs->slots[index % jobs->window].record;
}

void pg_scan_jobs_done(struct pg_scan_jobs *jobs, size_t index)
{
    struct slot *slot = &jobs->slots[index % jobs->window];
    (void)pthread_mutex_lock(&jobs->lock);
    slot->state = SLOT_FREE;
    jobs->released = index + 1;
    /* One slot is free: one more input can be taken. */
    (void)pthread_cond_signal(&jobs->slot_freed);
    (void)pthread_mutex_unlock(&jobs->lock);
}

void pg_scan_jobs_finish(struct pg_scan_jobs *jobs, struct pg_scanner *parent)
{
    if (jobs == NULL) {
        return;
    }
    (void)pthread_mutex_lock(&jobs->lock);
    jobs->stop = true;
    (void)pthread_cond_broadcast(&jobs->slot_freed);
    (void)pthread_mutex_unlock(&jobs->lock);
    for (size_t i = 0; i < jobs->started; i++) {
        (void)pthread_join(jobs->workers[i].thread, NULL);
        pg_scanner_merge(parent, jobs->workers[i].scanner);
        pg_scanner_free(jobs->workers[i].scanner);
    }
    (void)pthread_cond_destroy(&jobs->slot_freed);
    (void)pthread_cond_destroy(&jobs->slot_ready);
    (void)pthread_mutex_destroy(&jobs->lock);
    jobs_free(jobs);
}
