class TreeNode:
    """Ancestors and descendants of a model with a `parent` foreign key to
    itself (the file plan, the storage locations)."""

    def ancestors(self):
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def descendant_ids(self):
        """Ids of this node and every node below it."""
        model = type(self)
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(model.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids
