namespace ForecastWorker.Forecasting;

/// <summary>Small derivative-free minimisers for model parameters (a handful of bounded parameters each).</summary>
public static class Optimizer
{
    /// <summary>
    /// Nelder–Mead simplex minimisation inside a box: points are clamped into [lower, upper] before each
    /// evaluation. Stops after <paramref name="maxEvaluations"/> or when the simplex's values agree to
    /// <paramref name="tolerance"/> (relative). Returns the best point found.
    /// </summary>
    public static double[] NelderMead(
        Func<double[], double> objective, double[] start, double[] step, double[] lower, double[] upper,
        int maxEvaluations = 200, double tolerance = 1e-7)
    {
        var dim = start.Length;
        var simplex = new double[dim + 1][];
        var values = new double[dim + 1];
        var evaluations = 0;

        double Evaluate(double[] x)
        {
            for (var i = 0; i < dim; i++) x[i] = Math.Clamp(x[i], lower[i], upper[i]);
            evaluations++;
            var v = objective(x);
            return double.IsFinite(v) ? v : double.MaxValue;
        }

        for (var i = 0; i <= dim; i++)
        {
            simplex[i] = (double[])start.Clone();
            if (i > 0)
            {
                var j = i - 1;
                simplex[i][j] += step[j];
                // Step inwards when the start sits on the upper bound.
                if (simplex[i][j] > upper[j]) simplex[i][j] = start[j] - step[j];
            }
            values[i] = Evaluate(simplex[i]);
        }

        var centroid = new double[dim];
        var reflected = new double[dim];
        var trial = new double[dim];
        while (evaluations < maxEvaluations)
        {
            // Order: best at 0, worst at dim (insertion sort; dim is tiny).
            for (var i = 1; i <= dim; i++)
            {
                var v = values[i];
                var p = simplex[i];
                var k = i - 1;
                while (k >= 0 && values[k] > v)
                {
                    values[k + 1] = values[k];
                    simplex[k + 1] = simplex[k];
                    k--;
                }
                values[k + 1] = v;
                simplex[k + 1] = p;
            }

            var best = values[0];
            var worst = values[dim];
            if (Math.Abs(worst - best) <= tolerance * (Math.Abs(best) + 1e-12)) break;

            Array.Clear(centroid);
            for (var i = 0; i < dim; i++)
            {
                for (var j = 0; j < dim; j++) centroid[j] += simplex[i][j];
            }
            for (var j = 0; j < dim; j++) centroid[j] /= dim;

            for (var j = 0; j < dim; j++) reflected[j] = centroid[j] + (centroid[j] - simplex[dim][j]);
            var reflectedValue = Evaluate(reflected);

            if (reflectedValue < best)
            {
                for (var j = 0; j < dim; j++) trial[j] = centroid[j] + 2 * (reflected[j] - centroid[j]);
                var expandedValue = Evaluate(trial);
                if (expandedValue < reflectedValue) Accept(trial, expandedValue);
                else Accept(reflected, reflectedValue);
            }
            else if (reflectedValue < values[dim - 1])
            {
                Accept(reflected, reflectedValue);
            }
            else
            {
                var outside = reflectedValue < worst;
                for (var j = 0; j < dim; j++)
                {
                    trial[j] = outside
                        ? centroid[j] + 0.5 * (reflected[j] - centroid[j])
                        : centroid[j] + 0.5 * (simplex[dim][j] - centroid[j]);
                }
                var contractedValue = Evaluate(trial);
                if (contractedValue < Math.Min(reflectedValue, worst))
                {
                    Accept(trial, contractedValue);
                }
                else
                {
                    // Shrink towards the best point.
                    for (var i = 1; i <= dim; i++)
                    {
                        for (var j = 0; j < dim; j++) simplex[i][j] = simplex[0][j] + 0.5 * (simplex[i][j] - simplex[0][j]);
                        values[i] = Evaluate(simplex[i]);
                    }
                }
            }
        }

        var bestIndex = 0;
        for (var i = 1; i <= dim; i++)
        {
            if (values[i] < values[bestIndex]) bestIndex = i;
        }
        return simplex[bestIndex];

        void Accept(double[] point, double value)
        {
            Array.Copy(point, simplex[dim], dim);
            values[dim] = value;
        }
    }

    /// <summary>Golden-section search for the minimum of a unimodal function on [lower, upper].</summary>
    public static double GoldenSection(Func<double, double> objective, double lower, double upper, double tolerance = 1e-4)
    {
        const double ratio = 0.6180339887498949;
        var a = lower;
        var b = upper;
        var c = b - ratio * (b - a);
        var d = a + ratio * (b - a);
        var fc = objective(c);
        var fd = objective(d);
        while (b - a > tolerance)
        {
            if (fc < fd)
            {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = objective(c);
            }
            else
            {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = objective(d);
            }
        }
        return fc < fd ? c : d;
    }
}
