//! Byte-swap plans: which byte units of an item to reverse to bring it to
//! host byte order, bounded by the size of the dtype's description.

use super::{ByteOrder, DType, Layout, ScalarKind};
use crate::error::Result;
use crate::literal::push;

impl DType {
    /// Is every multi-byte scalar in this dtype already in host byte order?
    pub fn is_native(&self) -> bool {
        self.swap_units().is_empty()
    }

    /// The plan for bringing one item to host byte order: which byte units
    /// inside an item to reverse. Its size is bounded by the size of the
    /// dtype's description, not by its item size (a subarray of a billion
    /// big-endian ints is one entry), so hostile headers cannot make it large.
    pub fn swap_units(&self) -> SwapPlan {
        match self.try_swap_units() {
            Ok(p) => p,
            Err(_) => std::alloc::handle_alloc_error(std::alloc::Layout::new::<SwapOp>()),
        }
    }

    /// [`DType::swap_units`], reporting allocation failure instead of
    /// aborting (a record of a million fields in alternating byte orders
    /// has a plan of a million entries).
    pub fn try_swap_units(&self) -> Result<SwapPlan> {
        let mut ops = Vec::new();
        self.collect_swaps(0, &mut ops)?;
        Ok(SwapPlan { ops })
    }

    fn collect_swaps(&self, base: usize, out: &mut Vec<SwapOp>) -> Result<()> {
        match &self.layout {
            Layout::Scalar { kind, order, .. } => {
                if *order == ByteOrder::NotApplicable || *order == ByteOrder::NATIVE {
                    return Ok(());
                }
                let (width, count) = match kind {
                    ScalarKind::Complex => (self.itemsize / 2, 2),
                    ScalarKind::Unicode => (4, self.itemsize / 4),
                    _ => (self.itemsize, 1),
                };
                push_units(out, base, width, count, width)
            }
            Layout::Record(fields) => {
                for f in fields {
                    f.dtype.collect_swaps(base + f.offset, out)?;
                }
                Ok(())
            }
            Layout::SubArray(b, _) => {
                if b.itemsize == 0 {
                    return Ok(());
                }
                let n = self.itemsize / b.itemsize;
                if n == 0 {
                    return Ok(());
                }
                let mut sub = Vec::new();
                b.collect_swaps(0, &mut sub)?;
                match sub.as_slice() {
                    [] => Ok(()),
                    // Units that tile the base item repeat as one longer run.
                    [SwapOp::Units {
                        offset,
                        width,
                        count,
                        stride,
                    }] if *count == 1 || *count * *stride == b.itemsize => {
                        let stride = if *count == 1 { b.itemsize } else { *stride };
                        push_units(out, base + offset, *width, count * n, stride)
                    }
                    _ => push(
                        out,
                        SwapOp::Repeat {
                            offset: base,
                            stride: b.itemsize,
                            count: n,
                            ops: sub,
                        },
                        "a byte-swap plan",
                    ),
                }
            }
        }
    }
}

/// How to bring one item of a dtype to host byte order, from
/// [`DType::swap_units`]: byte units inside an item to reverse.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwapPlan {
    ops: Vec<SwapOp>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum SwapOp {
    /// Reverse `count` units of `width` bytes at `offset + k * stride`.
    Units {
        offset: usize,
        width: usize,
        count: usize,
        stride: usize,
    },
    /// Apply `ops` at `offset + k * stride`, `count` times (records inside
    /// subarrays).
    Repeat {
        offset: usize,
        stride: usize,
        count: usize,
        ops: Vec<SwapOp>,
    },
}

impl SwapOp {
    /// Where the op applies in an item: `count` times, at `offset + k * stride`.
    fn placement(&self) -> (usize, usize, usize) {
        match *self {
            SwapOp::Units {
                offset,
                stride,
                count,
                ..
            }
            | SwapOp::Repeat {
                offset,
                stride,
                count,
                ..
            } => (offset, stride, count),
        }
    }
}

/// Append a run of units, merging it with the previous run when it continues it.
fn push_units(
    out: &mut Vec<SwapOp>,
    offset: usize,
    width: usize,
    count: usize,
    stride: usize,
) -> Result<()> {
    if count == 0 || width < 2 {
        return Ok(());
    }
    let stride = if count == 1 { width } else { stride };
    if let Some(SwapOp::Units {
        offset: o,
        width: w,
        count: c,
        stride: s,
    }) = out.last_mut()
    {
        let s_eff = if *c == 1 { *w } else { *s };
        if *w == width && s_eff == stride && *o + *c * s_eff == offset {
            *c += count;
            *s = stride;
            return Ok(());
        }
    }
    push(
        out,
        SwapOp::Units {
            offset,
            width,
            count,
            stride,
        },
        "a byte-swap plan",
    )
}

impl SwapPlan {
    /// True if nothing needs swapping (every scalar is in host order).
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The units `(offset, width)` to reverse in one item, in order, at
    /// most `limit` of them (for tests and messages: the full list of a
    /// large subarray is as long as the item).
    pub fn units(&self, limit: usize) -> Vec<(usize, usize)> {
        fn walk(ops: &[SwapOp], base: usize, limit: usize, out: &mut Vec<(usize, usize)>) {
            for op in ops {
                let (offset, stride, count) = op.placement();
                for k in 0..count {
                    if out.len() >= limit {
                        return;
                    }
                    let at = base + offset + k * stride;
                    match op {
                        SwapOp::Units { width, .. } => out.push((at, *width)),
                        SwapOp::Repeat { ops, .. } => walk(ops, at, limit, out),
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.ops, 0, limit, &mut out);
        out
    }
}

fn apply_swaps(ops: &[SwapOp], item: &mut [u8]) {
    for op in ops {
        match *op {
            SwapOp::Units {
                offset,
                width,
                count,
                stride,
            } => {
                for k in 0..count {
                    let o = offset + k * stride;
                    item[o..o + width].reverse();
                }
            }
            SwapOp::Repeat {
                offset,
                stride,
                count,
                ref ops,
            } => {
                for k in 0..count {
                    apply_swaps(ops, &mut item[offset + k * stride..]);
                }
            }
        }
    }
}

/// Reverse the byte order of every unit of `plan` in each item of `data`.
/// `data.len()` must be a multiple of `itemsize`.
pub fn swap_in_place(data: &mut [u8], itemsize: usize, plan: &SwapPlan) {
    if plan.ops.is_empty() || itemsize == 0 {
        return;
    }
    // Fast path: the whole item is made of equal, adjacent units.
    if let [SwapOp::Units {
        offset: 0,
        width: w,
        count,
        stride,
    }] = plan.ops[..]
    {
        if stride == w && count * w == itemsize {
            match w {
                2 => data.chunks_exact_mut(2).for_each(|c| {
                    c.copy_from_slice(&u16::from_ne_bytes([c[0], c[1]]).swap_bytes().to_ne_bytes())
                }),
                4 => data.chunks_exact_mut(4).for_each(|c| {
                    let v = u32::from_ne_bytes(c.try_into().unwrap_or([0; 4]));
                    c.copy_from_slice(&v.swap_bytes().to_ne_bytes())
                }),
                8 => data.chunks_exact_mut(8).for_each(|c| {
                    let v = u64::from_ne_bytes(c.try_into().unwrap_or([0; 8]));
                    c.copy_from_slice(&v.swap_bytes().to_ne_bytes())
                }),
                _ => data.chunks_exact_mut(w).for_each(|c| c.reverse()),
            }
            return;
        }
    }
    for item in data.chunks_exact_mut(itemsize) {
        apply_swaps(&plan.ops, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_plans() {
        let d = DType::parse("[('a', '>i4'), ('b', '<f8'), ('c', '>c8'), ('u', '>U2')]").unwrap();
        assert_eq!(
            d.swap_units().units(usize::MAX),
            vec![(0, 4), (12, 4), (16, 4), (20, 4), (24, 4)]
        );
        let mut v = vec![1u8, 2, 3, 4, 5, 6, 7, 8];
        swap_in_place(&mut v, 4, &DType::parse(">i4").unwrap().swap_units());
        assert_eq!(v, [4, 3, 2, 1, 8, 7, 6, 5]);
        assert!(DType::parse("'<f8'").unwrap().is_native());
        // Records inside subarrays: a nested plan, applied per element.
        let d = DType::parse("[('r', [('a', '>i2'), ('b', '|i1'), ('c', '<i2')], (2,))]").unwrap();
        assert_eq!(d.swap_units().units(usize::MAX), vec![(0, 2), (5, 2)]);
        let mut v: Vec<u8> = (0..10).collect();
        swap_in_place(&mut v, 10, &d.swap_units());
        assert_eq!(v, [1, 0, 2, 3, 4, 6, 5, 7, 8, 9]);
    }

    #[test]
    fn swap_plans_stay_small() {
        // A subarray with no elements has nothing to swap.
        let d = DType::parse("[('n', [('a', '|i1'), ('b', '>U2')], (0,))]").unwrap();
        assert!(d.swap_units().is_empty() && d.is_native());
        // Hostile item sizes: the plan is as long as the description, not the item.
        for descr in [
            "[('x', '>i4', (100000, 100000))]",
            "'>U999999999999'",
            "[('x', [('a', '>i2'), ('b', '>f8', (7,)), ('c', '|i1')], (4294967295,))]",
            "[('x', ('>c16', (65536,)), (65536,))]",
        ] {
            let d = DType::parse(descr).unwrap();
            let plan = d.swap_units();
            assert!(!plan.is_empty());
            assert!(plan.units(4).len() == 4, "{descr}");
            assert!(format!("{plan:?}").len() < 1000, "{descr}: {plan:?}");
        }
        let d = DType::parse("[('x', '>i4', (3,)), ('y', '>i4')]").unwrap();
        assert_eq!(
            d.swap_units().units(usize::MAX),
            vec![(0, 4), (4, 4), (8, 4), (12, 4)]
        );
        assert_eq!(format!("{:?}", d.swap_units()).matches("Units").count(), 1);
    }
}
