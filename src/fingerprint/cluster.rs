//! Clusters of copies with bounded growth: each cluster is a star around its earliest text.
//!
//! Texts are taken in order (earliest date first); a text not yet in a cluster starts one, and
//! every text not yet taken that resembles *it* joins. A member is therefore close to the
//! cluster's original, never just to some other member: a chain of near pairs (A like B, B
//! like C, ...), which union-find would merge into one cluster, cannot join unrelated stories.

/// One member of a cluster: a node index and its resemblance to the cluster's first member.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Member {
    pub node: u32,
    pub similarity: f32,
}

/// Clusters of `nodes` nodes, in `order` (a permutation of 0..nodes, the earliest first),
/// from `edges` `(a, b, resemblance)` that already passed the threshold. Clusters of one node
/// are left out; the result is largest first, then by the order of its first member, and each
/// cluster lists its members in `order`.
pub fn star_clusters(nodes: usize, order: &[u32], edges: &[(u32, u32, f32)]) -> Vec<Vec<Member>> {
    let mut neighbours: Vec<Vec<(u32, f32)>> = vec![Vec::new(); nodes];
    for &(a, b, similarity) in edges {
        neighbours[a as usize].push((b, similarity));
        neighbours[b as usize].push((a, similarity));
    }
    star_clusters_with(nodes, order, |node, out| {
        out.extend_from_slice(&neighbours[node as usize]);
    })
}

/// `star_clusters` with the neighbours of a node (other nodes and their resemblance to it,
/// all past the threshold) given by `neighbours(node, out)`, which appends them to `out`.
pub fn star_clusters_with(
    nodes: usize,
    order: &[u32],
    mut neighbours: impl FnMut(u32, &mut Vec<(u32, f32)>),
) -> Vec<Vec<Member>> {
    let mut rank = vec![0u32; nodes];
    for (position, &node) in order.iter().enumerate() {
        rank[node as usize] = position as u32;
    }
    let mut taken = vec![false; nodes];
    let mut clusters = Vec::new();
    let mut near = Vec::new();
    for &centre in order {
        if taken[centre as usize] {
            continue;
        }
        near.clear();
        neighbours(centre, &mut near);
        let mut members = vec![Member {
            node: centre,
            similarity: 1.0,
        }];
        for &(node, similarity) in &near {
            if !taken[node as usize] && node != centre {
                taken[node as usize] = true;
                members.push(Member { node, similarity });
            }
        }
        if members.len() < 2 {
            continue;
        }
        taken[centre as usize] = true;
        members[1..].sort_by_key(|m| rank[m.node as usize]);
        clusters.push(members);
    }
    clusters.sort_by(|a, b| {
        b.len()
            .cmp(&a.len())
            .then(rank[a[0].node as usize].cmp(&rank[b[0].node as usize]))
    });
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes_of(cluster: &[Member]) -> Vec<u32> {
        cluster.iter().map(|m| m.node).collect()
    }

    #[test]
    fn a_chain_does_not_merge_into_one_cluster() {
        // 0 ~ 1 ~ 2 ~ 3 ~ 4, each only like its neighbours.
        let edges = [(0, 1, 0.6), (1, 2, 0.6), (2, 3, 0.6), (3, 4, 0.6)];
        let clusters = star_clusters(5, &[0, 1, 2, 3, 4], &edges);
        assert_eq!(clusters.len(), 2);
        assert_eq!(nodes_of(&clusters[0]), vec![0, 1]);
        assert_eq!(nodes_of(&clusters[1]), vec![2, 3]);
    }

    #[test]
    fn members_follow_the_order_and_carry_their_similarity_to_the_first() {
        let edges = [(2, 0, 0.9), (2, 1, 0.7), (0, 1, 0.8), (3, 4, 1.0)];
        // Node 2 is the earliest.
        let clusters = star_clusters(5, &[2, 1, 0, 4, 3], &edges);
        assert_eq!(nodes_of(&clusters[0]), vec![2, 1, 0]);
        assert_eq!(clusters[0][1].similarity, 0.7);
        assert_eq!(clusters[0][0].similarity, 1.0);
        assert_eq!(nodes_of(&clusters[1]), vec![4, 3]);
    }

    #[test]
    fn lonely_nodes_make_no_cluster() {
        assert!(star_clusters(3, &[0, 1, 2], &[]).is_empty());
    }
}
