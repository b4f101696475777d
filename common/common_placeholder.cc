// Keeps kfuncdb_common a valid library until its first real source lands.
