/* forecourt seed: a synthetic network for benchmarks (bulk loading). */
#ifndef FC_SEED_SEED_H
#define FC_SEED_SEED_H

/* argv[0] is "seed"; returns the process exit code. */
int fc_seed_main(int argc, char **argv);

#endif
