/* The set_mempolicy(2) modes and flags linux.memoryPolicy names, with the kernel's values:
 * defined here because the system's <linux/mempolicy.h> may predate some (weighted
 * interleave is Linux 6.9) and declares the modes as an enum that cannot be extended. */
#ifndef CRADLE_SPEC_MEMPOLICY_H
#define CRADLE_SPEC_MEMPOLICY_H

enum {
    CRADLE_MPOL_DEFAULT = 0,
    CRADLE_MPOL_PREFERRED = 1,
    CRADLE_MPOL_BIND = 2,
    CRADLE_MPOL_INTERLEAVE = 3,
    CRADLE_MPOL_LOCAL = 4,
    CRADLE_MPOL_PREFERRED_MANY = 5,
    CRADLE_MPOL_WEIGHTED_INTERLEAVE = 6,
};

#define CRADLE_MPOL_F_NUMA_BALANCING (1 << 13)
#define CRADLE_MPOL_F_RELATIVE_NODES (1 << 14)
#define CRADLE_MPOL_F_STATIC_NODES   (1 << 15)

#endif
