// One app at a time on a 2-core machine: collections run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
