/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Worker threads for `podgate scan -j N` (see scan_jobs.h). One lock guards
 * the slots, the part tasks and the counters; nobody holds it while reading
 * or scanning.
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
 * Parts of a large source cut ahead of the one being reported: each holds a
 * copy of its bytes (about 256 KiB, see parts.c) and its record, so this
 * bounds memory; two per scanning thread keep every thread busy while the
 * main thread replays one.
 */
#define PARTS_PER_THREAD 2

/*
 * Larger files are left to the main thread, which reads them in parts and
 * hands the parts out (pg_scan_jobs_scan_parts): a record holds all of a
 * file's results at once, fewer bytes than the file for dense workloads
 * (gen-corpus.py files: 0.5-0.6) and far fewer for real manifests, so the
 * records in flight stay near FILES_PER_THREAD * threads * 4 MiB at worst.
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

enum task_state {
    TASK_FREE,
    TASK_PENDING,
    TASK_SCANNING,
    TASK_DONE,
};

/* A part of the source the main thread reads, scanned by whichever thread is free. */
struct part_task {
    enum task_state state;
    bool is_error; /* a problem reading the source: `error`, at `line` */
    char *data;    /* a copy: the reader's buffer moves on */
    size_t len;
    size_t cap;
    uint32_t line;
    size_t skipped;   /* documents the reader dropped before this part (oversized) */
    size_t documents; /* read by the scan, which numbered them from 0 */
    struct pg_scan_record *record;
    char error[512];
};

struct worker {
    pthread_t thread;
    struct pg_scanner *scanner; /* scan pass: a fork of the parent */
    struct pg_scan_jobs *jobs;
};

struct pg_scan_jobs {
    struct pg_scan_jobs_options options;
    pthread_mutex_t lock;
    pthread_cond_t work;       /* workers wait on it: a slot freed, a part queued, or stopping */
    pthread_cond_t slot_ready; /* the main thread waits on it: an input or a part is done */
    struct slot *slots;        /* input i is in slot i % window */
    size_t window;
    size_t next_claim; /* the next input a worker takes */
    size_t released;   /* inputs below it are done with */
    size_t awaited;    /* the input the main thread waits for, or SIZE_MAX */
    bool stop;
    struct part_task *tasks; /* part p is in task p % tasks_len */
    size_t tasks_len;
    size_t task_head; /* the oldest part not yet reported */
    size_t task_tail; /* the next part to cut */
    size_t tasks_pending;
    const char *task_source; /* the source the parts come from */
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

size_t pg_scan_jobs_scan_threads(const struct pg_inputs *inputs, size_t jobs)
{
    for (size_t i = 0; i < inputs->len; i++) {
        if (inputs->items[i].error == NULL && !worker_takes(&inputs->items[i], PG_SCAN_JOBS_SCAN)) {
            return jobs; /* read in parts, which any number of threads can share */
        }
    }
    return jobs < inputs->len ? jobs : inputs->len;
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

static enum slot_state scan_file(const struct pg_scan_options *options, struct pg_scanner *scanner,
                                 const struct pg_input *input, struct pg_scan_record *record)
{
    struct pg_scan_sink sink = pg_scan_record_sink(record);
    struct pg_parts parts;
    char error[512];
    if (pg_parts_open_file(&parts, input->path, options->format, &options->limits, error,
                           sizeof(error)) != 0) {
        pg_scanner_report_error(scanner, input->path, error, &sink);
        return SLOT_DONE;
    }
    pg_scan_jobs_scan_source(scanner, input->path, &parts, &sink, NULL, NULL);
    pg_parts_close(&parts);
    return SLOT_DONE;
}

/* Learn or scan input `index` into its slot, with `scanner` (a fork; NULL when learning). */
static enum slot_state work_on(struct pg_scan_jobs *jobs, struct pg_scanner *scanner, size_t index,
                               struct slot *slot)
{
    const struct pg_scan_jobs_options *options = &jobs->options;
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
        return scan_file(options->scan, scanner, input, slot->record);
    }
    return SLOT_LEFT;
}

/* With the lock held: take the next input if the window allows; false when it does not. */
static bool claim_input(struct pg_scan_jobs *jobs, size_t *index_out)
{
    struct slot *slot = NULL;
    if (jobs->stop || jobs->next_claim >= jobs->options.inputs->len ||
        jobs->next_claim >= jobs->released + jobs->window) {
        return false;
    }
    *index_out = jobs->next_claim++;
    slot = &jobs->slots[*index_out % jobs->window];
    slot->input = *index_out;
    slot->state = SLOT_SCANNING;
    return true;
}

/* With the lock held: the oldest part waiting for a thread, now taken; NULL when none. */
static struct part_task *claim_task(struct pg_scan_jobs *jobs)
{
    if (jobs->stop || jobs->tasks_pending == 0) {
        return NULL;
    }
    for (size_t p = jobs->task_head; p < jobs->task_tail; p++) {
        struct part_task *task = &jobs->tasks[p % jobs->tasks_len];
        if (task->state == TASK_PENDING) {
            task->state = TASK_SCANNING;
            jobs->tasks_pending--;
            return task;
        }
    }
    return NULL;
}

/* Scan a part into its record, its documents numbered from 0 (see report_task). */
static void scan_task(struct pg_scan_jobs *jobs, struct pg_scanner *scanner, struct part_task *task)
{
    struct pg_scan_sink sink;
    pg_scan_record_clear(task->record);
    sink = pg_scan_record_sink(task->record);
    task->documents = pg_scanner_scan_part(scanner, jobs->task_source, task->data, task->len,
                                           task->line, 0, &sink);
}

/* Do input `index` in a worker's thread or the main thread; the lock is held on entry and exit. */
static void do_input(struct pg_scan_jobs *jobs, struct pg_scanner *scanner, size_t index)
{
    struct slot *slot = &jobs->slots[index % jobs->window];
    enum slot_state state = SLOT_FREE;
    (void)pthread_mutex_unlock(&jobs->lock);
    state = work_on(jobs, scanner, index, slot);
    (void)pthread_mutex_lock(&jobs->lock);
    slot->state = state;
    /* Waking the main thread for any other input would only put it back to sleep. */
    if (index == jobs->awaited) {
        (void)pthread_cond_signal(&jobs->slot_ready);
    }
}

/* Scan a part in a worker's thread or the main thread; the lock is held on entry and exit. */
static void do_task(struct pg_scan_jobs *jobs, struct pg_scanner *scanner, struct part_task *task)
{
    (void)pthread_mutex_unlock(&jobs->lock);
    scan_task(jobs, scanner, task);
    (void)pthread_mutex_lock(&jobs->lock);
    task->state = TASK_DONE;
    (void)pthread_cond_signal(&jobs->slot_ready);
}

/*
 * Parts first: the main thread waits for them in its turn, while inputs are
 * work ahead. A worker stays until pg_scan_jobs_finish, as the main thread
 * may still hand out the parts of a large input after the last file is taken.
 */
static void *worker_main(void *arg)
{
    struct worker *worker = arg;
    struct pg_scan_jobs *jobs = worker->jobs;
    (void)pthread_mutex_lock(&jobs->lock);
    while (!jobs->stop) {
        struct part_task *task = claim_task(jobs);
        size_t index = 0;
        if (task != NULL) {
            do_task(jobs, worker->scanner, task);
        } else if (claim_input(jobs, &index)) {
            do_input(jobs, worker->scanner, index);
        } else {
            (void)pthread_cond_wait(&jobs->work, &jobs->lock);
        }
    }
    (void)pthread_mutex_unlock(&jobs->lock);
    return NULL;
}

static struct pg_scan_jobs *jobs_alloc(const struct pg_scan_jobs_options *options)
{
    struct pg_scan_jobs *jobs = pg_xcalloc(1, sizeof(*jobs));
    size_t scanning = options->threads + 1; /* the main thread scans too */
    jobs->options = *options;
    jobs->window = scanning * FILES_PER_THREAD;
    jobs->slots = pg_xcalloc(jobs->window, sizeof(*jobs->slots));
    for (size_t i = 0; i < jobs->window; i++) {
        jobs->slots[i].input = SIZE_MAX;
        jobs->slots[i].state = SLOT_FREE;
        (void)pg_scan_record_new(&jobs->slots[i].record, NULL);
    }
    jobs->tasks_len = scanning * PARTS_PER_THREAD;
    jobs->tasks = pg_xcalloc(jobs->tasks_len, sizeof(*jobs->tasks));
    for (size_t i = 0; i < jobs->tasks_len; i++) {
        (void)pg_scan_record_new(&jobs->tasks[i].record, NULL);
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
    for (size_t i = 0; i < jobs->tasks_len; i++) {
        free(jobs->tasks[i].data);
        pg_scan_record_free(jobs->tasks[i].record);
    }
    free(jobs->slots);
    free(jobs->tasks);
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
    if (pthread_cond_init(&jobs->work, NULL) != 0 ||
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
    size_t other = 0;
    (void)pthread_mutex_lock(&jobs->lock);
    jobs->awaited = index;
    while (slot->input != index || (slot->state != SLOT_DONE && slot->state != SLOT_LEFT)) {
        /* Rather than wait, scan the next input like a worker (this one, if nobody took it). */
        if (claim_input(jobs, &other)) {
            do_input(jobs, jobs->options.own, other);
        } else {
            (void)pthread_cond_wait(&jobs->slot_ready, &jobs->lock);
        }
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
    (void)pthread_cond_signal(&jobs->work);
    (void)pthread_mutex_unlock(&jobs->lock);
}

/*
 * Cut parts until the ring is full or the source ends (false then). Reading
 * problems take their place in the ring, to be reported in order.
 */
static bool queue_parts(struct pg_scan_jobs *jobs, struct pg_parts *parts)
{
    while (jobs->task_tail - jobs->task_head < jobs->tasks_len) {
        struct part_task *task = &jobs->tasks[jobs->task_tail % jobs->tasks_len];
        const char *data = NULL;
        size_t len = 0;
        int rc = pg_parts_next(parts, &data, &len, task->error, sizeof(task->error));
        if (rc == 0) {
            return false;
        }
        task->line = parts->line;
        task->skipped = parts->index;
        task->is_error = rc < 0;
        if (rc > 0) {
            if (len > task->cap) {
                free(task->data);
                task->cap = len;
                task->data = pg_xmalloc(len);
            }
            memcpy(task->data, data, len);
            task->len = len;
            /* parts->index then counts only the documents the reader drops. */
            pg_parts_done(parts, parts->index);
        }
        (void)pthread_mutex_lock(&jobs->lock);
        task->state = rc > 0 ? TASK_PENDING : TASK_DONE;
        jobs->tasks_pending += rc > 0 ? 1 : 0;
        jobs->task_tail++;
        (void)pthread_cond_signal(&jobs->work);
        (void)pthread_mutex_unlock(&jobs->lock);
    }
    return true;
}

/*
 * Wait for the oldest part, scanning other waiting parts meanwhile. True
 * when nobody has taken it: the caller then scans it straight into the report.
 */
static bool take_head(struct pg_scan_jobs *jobs, struct part_task *head)
{
    bool own = false;
    (void)pthread_mutex_lock(&jobs->lock);
    for (;;) {
        struct part_task *other = NULL;
        if (head->state == TASK_PENDING) {
            head->state = TASK_SCANNING;
            jobs->tasks_pending--;
            own = true;
            break;
        }
        if (head->state == TASK_DONE) {
            break;
        }
        other = claim_task(jobs);
        if (other != NULL) {
            do_task(jobs, jobs->options.own, other);
        } else {
            (void)pthread_cond_wait(&jobs->slot_ready, &jobs->lock);
        }
    }
    (void)pthread_mutex_unlock(&jobs->lock);
    return own;
}

/* Report the oldest part through `sink`; `first` is the index of its first document. */
static size_t report_head(struct pg_scan_jobs *jobs, struct part_task *head, size_t first,
                          const struct pg_scan_sink *sink)
{
    struct pg_scanner *scanner = jobs->options.own;
    if (head->is_error) {
        pg_scanner_report_error_at(scanner, jobs->task_source, first, head->line, head->error,
                                   sink);
        return 0;
    }
    if (take_head(jobs, head)) {
        return pg_scanner_scan_part(scanner, jobs->task_source, head->data, head->len, head->line,
                                    first, sink) -
               first;
    }
    pg_scan_record_replay_shifted(head->record, first, sink);
    return head->documents;
}

/* After an early stop: forget the parts cut, once those being scanned are done. */
static void drop_tasks(struct pg_scan_jobs *jobs)
{
    (void)pthread_mutex_lock(&jobs->lock);
    for (size_t p = jobs->task_head; p < jobs->task_tail; p++) {
        struct part_task *task = &jobs->tasks[p % jobs->tasks_len];
        if (task->state != TASK_SCANNING) {
            task->state = TASK_FREE;
        }
    }
    jobs->tasks_pending = 0;
    for (size_t p = jobs->task_head; p < jobs->task_tail; p++) {
        struct part_task *task = &jobs->tasks[p % jobs->tasks_len];
        while (task->state == TASK_SCANNING) {
            (void)pthread_cond_wait(&jobs->slot_ready, &jobs->lock);
        }
        task->state = TASK_FREE;
    }
    jobs->task_head = jobs->task_tail;
    (void)pthread_mutex_unlock(&jobs->lock);
}

void pg_scan_jobs_scan_parts(struct pg_scan_jobs *jobs, const char *path, struct pg_parts *parts,
                             const struct pg_scan_sink *sink, bool (*after_part)(void *ctx),
                             void *ctx)
{
    size_t scanned = 0; /* documents in the parts reported so far */
    bool more = true;
    pg_scanner_count_source(jobs->options.own);
    jobs->task_source = path; /* read by workers only after the lock hands them a part */
    for (;;) {
        struct part_task *head = NULL;
        more = more && queue_parts(jobs, parts);
        if (jobs->task_head == jobs->task_tail) {
            break;
        }
        head = &jobs->tasks[jobs->task_head % jobs->tasks_len];
        scanned += report_head(jobs, head, scanned + head->skipped, sink);
        (void)pthread_mutex_lock(&jobs->lock);
        head->state = TASK_FREE;
        jobs->task_head++;
        (void)pthread_mutex_unlock(&jobs->lock);
        if (after_part != NULL && !after_part(ctx)) {
            drop_tasks(jobs);
            break;
        }
    }
}

void pg_scan_jobs_finish(struct pg_scan_jobs *jobs, struct pg_scanner *parent)
{
    if (jobs == NULL) {
        return;
    }
    (void)pthread_mutex_lock(&jobs->lock);
    jobs->stop = true;
    (void)pthread_cond_broadcast(&jobs->work);
    (void)pthread_mutex_unlock(&jobs->lock);
    for (size_t i = 0; i < jobs->started; i++) {
        (void)pthread_join(jobs->workers[i].thread, NULL);
        pg_scanner_merge(parent, jobs->workers[i].scanner);
        pg_scanner_free(jobs->workers[i].scanner);
    }
    (void)pthread_cond_destroy(&jobs->work);
    (void)pthread_cond_destroy(&jobs->slot_ready);
    (void)pthread_mutex_destroy(&jobs->lock);
    jobs_free(jobs);
}
