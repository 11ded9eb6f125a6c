/*
 * sim_rng.c — xoshiro256** streams seeded by splitmix64, and draws from
 * the rules' time distributions.
 */
#include <math.h>

#include "wargame/sim.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void wg_rng_seed(wg_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed, k = splitmix64(&x);

	/* a distinct splitmix64 sequence per stream */
	x = k ^ (stream * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1;
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t wg_rng_next(wg_rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double wg_rng_unit(wg_rng *r)
{
	return (double)(wg_rng_next(r) >> 11) * 0x1.0p-53;
}

size_t wg_rng_below(wg_rng *r, size_t n)
{
	/* Lemire's multiply-shift; the tiny bias is irrelevant here */
	return (size_t)(((unsigned __int128)wg_rng_next(r) * n) >> 64);
}

/* Standard normal by Box-Muller (one value per call, deterministic). */
static double normal(wg_rng *r)
{
	double u = 1.0 - wg_rng_unit(r), v = wg_rng_unit(r);

	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

double wg_dist_sample(const wg_dist *d, wg_rng *r)
{
	double u, x = 0;

	switch (d->kind) {
	case WG_DIST_FIXED:
		x = d->a;
		break;
	case WG_DIST_EXP:
		x = -d->a * log(1.0 - wg_rng_unit(r));
		break;
	case WG_DIST_LOGNORMAL:
		x = d->a * exp(d->b * normal(r));
		break;
	case WG_DIST_TRIANGULAR: {
		double lo = d->a, mo = d->b, hi = d->c, f;

		if (hi <= lo) {
			x = lo;
			break;
		}
		u = wg_rng_unit(r);
		f = (mo - lo) / (hi - lo);
		x = u < f ? lo + sqrt(u * (hi - lo) * (mo - lo))
			  : hi - sqrt((1 - u) * (hi - lo) * (hi - mo));
		break;
	}
	case WG_DIST_UNIFORM:
		x = d->a + (d->b - d->a) * wg_rng_unit(r);
		break;
	}
	return x > 0 ? x : 0;
}
