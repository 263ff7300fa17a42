"""acquire: download the publishers' newest official files into data/raw, with a manifest."""
